"use client";

import type { DiagnosticResult } from "@beacon/domain";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { LocalTime } from "@/components/local-time.tsx";
import { Button } from "@/components/ui/button.tsx";
import { ErrorNotice } from "@/components/ui/error-notice.tsx";
import { SelectField, TextField } from "@/components/ui/field.tsx";
import { Pagination } from "@/components/ui/pagination.tsx";
import { useTRPC } from "@/trpc/client.tsx";
import type { RouterOutputs } from "@/trpc/types.ts";
import type { Device } from "./device-view.tsx";
import { DiagnosticResultView } from "./diagnostic-result.tsx";

type Diagnostic = RouterOutputs["diagnostics"]["list"]["rows"][number];
type Kind = Diagnostic["kind"];

/** What each test asks for; TR-098 and TR-181 devices take the same fields. Labels live in the `device` messages. */
const KINDS: {
  value: Kind;
  field?: {
    name: string;
    label: "hostPing" | "hostTrace" | "downloadUrl" | "uploadUrl" | "hostName";
    placeholder: string;
    hint: "host" | "download" | "upload" | "dns";
  };
}[] = [
  { value: "ping", field: { name: "host", label: "hostPing", placeholder: "9.9.9.9", hint: "host" } },
  { value: "traceroute", field: { name: "host", label: "hostTrace", placeholder: "example.net", hint: "host" } },
  {
    value: "download",
    field: {
      name: "url",
      label: "downloadUrl",
      placeholder: "http://speedtest.example.net/100MB.bin",
      hint: "download",
    },
  },
  {
    value: "upload",
    field: { name: "url", label: "uploadUrl", placeholder: "http://speedtest.example.net/upload", hint: "upload" },
  },
  { value: "dns", field: { name: "hostName", label: "hostName", placeholder: "example.net", hint: "dns" } },
  { value: "wifiScan" },
];

const PAGE_SIZE = 5;

export function isRunning(d: { state: string }): boolean {
  return d.state === "requested" || d.state === "collecting";
}

export function DiagnosticsPanel({ device }: { device: Device }) {
  const t = useTranslations("device");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<Kind>("ping");
  const [value, setValue] = useState("");
  const [page, setPage] = useState(1);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const history = useQuery({
    ...trpc.diagnostics.list.queryOptions({ deviceId: device.id, page, pageSize: PAGE_SIZE }),
    // Poll while a test runs on the device, so its result shows up without a reload.
    refetchInterval: (query) => (query.state.data?.rows.some(isRunning) ? 2_000 : false),
  });
  const start = useMutation(
    trpc.diagnostics.start.mutationOptions({
      onSuccess: (started) => {
        setSelectedId(started.id);
        setPage(1);
        void queryClient.invalidateQueries({ queryKey: trpc.diagnostics.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.devices.tasks.queryKey({ deviceId: device.id }) });
      },
    }),
  );
  const can = device.permissions.some((p) => p === "device.refresh");
  const spec = KINDS.find((k) => k.value === kind)!;
  const rows = history.data?.rows ?? [];
  const shown = rows.find((r) => r.id === selectedId) ?? rows[0];

  return (
    <section aria-labelledby="diagnostics-heading">
      <h2 id="diagnostics-heading" className="mb-3 text-base font-semibold">
        {t("diagnostics.title")}
      </h2>
      <div className="space-y-4 rounded-lg border border-slate-200 bg-white p-4">
        {can ? (
          <form
            className="flex flex-wrap items-end gap-3"
            onSubmit={(event) => {
              event.preventDefault();
              const params = spec.field ? { [spec.field.name]: value.trim() || spec.field.placeholder } : {};
              start.mutate({ deviceId: device.id, kind, params });
            }}
          >
            <SelectField
              label={t("diagnostics.test")}
              value={kind}
              onChange={(e) => setKind(e.target.value as Kind)}
              options={KINDS.map((k) => ({ value: k.value, label: t(`diagnostics.kinds.${k.value}`) }))}
              className="w-64"
            />
            {spec.field && (
              <TextField
                key={spec.field.name}
                label={t(`diagnostics.fields.${spec.field.label}`)}
                placeholder={spec.field.placeholder}
                hint={t("diagnostics.hintEmpty", {
                  hint: t(`diagnostics.hints.${spec.field.hint}`),
                  placeholder: spec.field.placeholder,
                })}
                value={value}
                onChange={(e) => setValue(e.target.value)}
                className="min-w-64 flex-1"
              />
            )}
            <Button type="submit" tone="primary" disabled={start.isPending}>
              {start.isPending ? t("diagnostics.starting") : t("diagnostics.run")}
            </Button>
          </form>
        ) : (
          <p className="text-sm text-slate-600">{t("diagnostics.readOnly")}</p>
        )}
        <ErrorNotice error={start.error} />
        <ErrorNotice error={history.error} />

        {shown && <DiagnosticDetail diagnostic={shown} />}

        {history.data && history.data.total === 0 && (
          <p className="rounded-lg border border-dashed border-slate-300 px-4 py-6 text-center text-sm text-slate-600">
            {t("diagnostics.empty")}
          </p>
        )}
        {history.data && history.data.total > 0 && (
          <div>
            <h3 className="text-sm font-semibold">{t("diagnostics.history")}</h3>
            <ul className="mt-2 divide-y divide-slate-100 text-sm" aria-label={t("diagnostics.historyLabel")}>
              {rows.map((d) => (
                <li key={d.id}>
                  <button
                    type="button"
                    onClick={() => setSelectedId(d.id)}
                    aria-current={d.id === shown?.id ? "true" : undefined}
                    className={`flex w-full flex-wrap items-baseline gap-x-3 px-2 py-1.5 text-left hover:bg-slate-50 focus:outline-none focus:ring-2 focus:ring-sky-600 ${d.id === shown?.id ? "bg-sky-50" : ""}`}
                  >
                    <span className="w-44 text-slate-600">
                      <LocalTime value={d.createdAt} />
                    </span>
                    <span className="font-medium">{t(`diagnostics.kinds.${d.kind}`)}</span>
                    <span className="min-w-0 flex-1 truncate text-slate-700">
                      {isRunning(d) ? t("diagnostics.waiting") : (d.summary ?? d.error ?? d.state)}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
            <Pagination
              page={page}
              pageSize={PAGE_SIZE}
              total={history.data.total}
              onPage={setPage}
              noun={(count) => t("diagnostics.count", { count })}
            />
          </div>
        )}
      </div>
    </section>
  );
}

function DiagnosticDetail({ diagnostic: d }: { diagnostic: Diagnostic }) {
  const t = useTranslations("device");
  const completedAt = d.completedAt;
  return (
    <div className="rounded-md border border-slate-200 p-3" aria-live="polite">
      <p className="text-sm text-slate-600">
        {t.rich("diagnostics.requested", {
          kind: t(`diagnostics.kinds.${d.kind}`),
          name: d.requestedBy,
          time: () => <LocalTime value={d.createdAt} />,
        })}
        {completedAt && t.rich("diagnostics.finished", { time: () => <LocalTime value={completedAt} /> })}
      </p>
      {isRunning(d) && (
        <p role="status" className="mt-2 text-sm font-medium text-sky-900">
          {d.state === "requested" ? t("diagnostics.requestedState") : t("diagnostics.collecting")}
        </p>
      )}
      {d.state === "failed" && (
        <p className="mt-2 text-sm font-medium text-red-800">
          {t("diagnostics.failed", { error: d.error ?? d.summary ?? "" })}
        </p>
      )}
      {d.state === "complete" && (
        <div className="mt-2 space-y-2">
          <p className="text-sm font-medium text-slate-900">{d.summary}</p>
          {d.result && <DiagnosticResultView result={d.result as unknown as DiagnosticResult} />}
        </div>
      )}
    </div>
  );
}
