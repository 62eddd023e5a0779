"use client";

import { useTranslations } from "next-intl";
import { type ChangeEvent, type ReactNode, useId, useState } from "react";
import { Button } from "@/components/ui/button.tsx";
import { ErrorNotice, Notice } from "@/components/ui/error-notice.tsx";

/** One row of an import report, whichever import made it. */
export interface ImportRowView {
  line: number;
  /** "room 101", "line 1 of subscriber S-7". */
  target: string;
  /** Serial, MAC or LOID, as the import read them. */
  device: string;
  ok: boolean;
  reasons: string[];
  notes: string[];
}

export interface ImportReportView {
  dryRun: boolean;
  rows: ImportRowView[];
  accepted: number;
  rejected: number;
  warnings: string[];
  /** What the import makes or made, e.g. "3 new rooms". */
  facts: string[];
}

const MAX_FILE_BYTES = 2_000_000;

/**
 * A spreadsheet import in two steps: a dry run that lists every row and why a bad one is bad, then, only when
 * asked, the import of the good rows. Editing the text throws the dry run away.
 */
export function CsvImport({
  label,
  help,
  example,
  check,
  run,
  onImported,
}: {
  label: string;
  help: ReactNode;
  example: string;
  check: (csv: string) => Promise<ImportReportView>;
  run: (csv: string) => Promise<ImportReportView>;
  onImported?: (report: ImportReportView) => void;
}) {
  const t = useTranslations("imports");
  const id = useId();
  const [csv, setCsv] = useState("");
  const [report, setReport] = useState<ImportReportView | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [pending, setPending] = useState<"check" | "import" | null>(null);

  const edit = (text: string) => {
    setCsv(text);
    setReport(null);
    setError(null);
  };
  const readFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = "";
    if (!file) return;
    if (file.size > MAX_FILE_BYTES) {
      setError(new Error(t("tooLarge", { name: file.name })));
      return;
    }
    edit(await file.text());
  };
  const step = async (which: "check" | "import") => {
    setPending(which);
    setError(null);
    try {
      const result = await (which === "check" ? check(csv) : run(csv));
      setReport(result);
      if (which === "import") onImported?.(result);
    } catch (failure) {
      setError(failure);
    } finally {
      setPending(null);
    }
  };

  const imported = report && !report.dryRun;
  return (
    <div className="space-y-4">
      <div className="text-sm text-slate-600">{help}</div>
      <div>
        <label htmlFor={`${id}-text`} className="block text-sm font-medium text-slate-700">
          {label}
        </label>
        <textarea
          id={`${id}-text`}
          value={csv}
          onChange={(event) => edit(event.target.value)}
          rows={8}
          spellCheck={false}
          placeholder={example}
          className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-2.5 py-1.5 font-mono text-sm shadow-sm focus:border-sky-600 focus:outline-none focus:ring-1 focus:ring-sky-600"
        />
        <div className="mt-2 flex flex-wrap items-center gap-3 text-sm">
          <label className="text-slate-700">
            <span className="mr-2">{t("chooseFile")}</span>
            <input type="file" accept=".csv,.txt,text/csv" onChange={readFile} className="text-sm" />
          </label>
        </div>
      </div>
      <ErrorNotice error={error} focus />
      <div className="flex flex-wrap gap-2">
        <Button onClick={() => step("check")} disabled={!csv.trim() || pending !== null}>
          {pending === "check" ? t("checking") : t("check")}
        </Button>
        {report?.dryRun && report.accepted > 0 && (
          <Button tone="primary" onClick={() => step("import")} disabled={pending !== null}>
            {pending === "import" ? t("importing") : t("importGood", { count: report.accepted })}
          </Button>
        )}
      </div>
      {report && <ImportReport report={report} />}
      {imported && <Notice>{t("imported", { facts: report.facts.join(", ") })}</Notice>}
    </div>
  );
}

function ImportReport({ report }: { report: ImportReportView }) {
  const t = useTranslations("imports");
  const bad = report.rows.filter((r) => !r.ok);
  return (
    <section aria-label={report.dryRun ? t("dryRunRegion") : t("resultRegion")} className="space-y-3">
      <p className="text-sm text-slate-700">
        {t.rich(report.dryRun ? "summaryDryRun" : "summaryImport", {
          good: report.accepted,
          bad: report.rejected,
          facts: report.facts.length > 0 ? ` · ${report.facts.join(", ")}` : "",
          strong: (chunks) => <strong>{chunks}</strong>,
        })}
        {report.dryRun && report.rejected > 0 && report.accepted > 0 && t("badLeftOut")}
      </p>
      {report.warnings.length > 0 && (
        <ul className="list-inside list-disc text-sm text-amber-800">
          {report.warnings.map((warning) => (
            <li key={warning}>{warning}</li>
          ))}
        </ul>
      )}
      {bad.length > 0 && (
        <p className="text-sm font-medium text-red-800">
          {t("needFixing", { count: bad.length, lines: bad.map((r) => r.line).join(", ") })}
        </p>
      )}
      <div className="max-h-96 overflow-auto rounded-lg border border-slate-200 bg-white">
        <table className="min-w-full text-left text-sm">
          <thead className="sticky top-0 border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-600">
            <tr>
              <th scope="col" className="px-3 py-2">
                {t("line")}
              </th>
              <th scope="col" className="px-3 py-2">
                {t("for")}
              </th>
              <th scope="col" className="px-3 py-2">
                {t("device")}
              </th>
              <th scope="col" className="px-3 py-2">
                {t("result")}
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {report.rows.map((row) => (
              <tr key={row.line} className={row.ok ? "" : "bg-red-50"}>
                <td className="px-3 py-2 tabular-nums">{row.line}</td>
                <td className="px-3 py-2">{row.target || "—"}</td>
                <td className="px-3 py-2 font-mono text-xs">{row.device || "—"}</td>
                <td className="px-3 py-2">
                  {row.ok ? (
                    <span className="font-medium text-emerald-800">{report.dryRun ? t("good") : t("done")}</span>
                  ) : (
                    <ul className="space-y-0.5 text-red-800">
                      {row.reasons.map((reason) => (
                        <li key={reason}>{sentence(reason)}</li>
                      ))}
                    </ul>
                  )}
                  {row.notes.length > 0 && (
                    <ul className="mt-0.5 space-y-0.5 text-xs text-slate-600">
                      {row.notes.map((note) => (
                        <li key={note}>{sentence(note)}</li>
                      ))}
                    </ul>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** The domain's reasons are phrases ("serial X is on line 2 too"); the console shows sentences. */
export function sentence(text: string): string {
  const trimmed = text.trim();
  if (!trimmed) return trimmed;
  const first = trimmed[0]!.toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}
