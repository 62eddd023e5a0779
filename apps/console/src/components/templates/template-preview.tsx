"use client";

import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { sentence } from "@/components/provisioning/csv-import.tsx";
import { ErrorNotice } from "@/components/ui/error-notice.tsx";
import { useTRPC } from "@/trpc/client.tsx";

/** Exactly what a version would set on a device, and the settings it cannot take there. Queues nothing. */
export function TemplatePreview({ templateVersionId, deviceId }: { templateVersionId: string; deviceId: string }) {
  const tNetworks = useTranslations("networks");
  const trpc = useTRPC();
  const preview = useQuery(trpc.templates.preview.queryOptions({ templateVersionId, deviceId }));
  if (preview.error) return <ErrorNotice error={preview.error} />;
  if (!preview.data) return <p className="text-sm text-slate-500">Working out the values…</p>;
  const p = preview.data;
  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-600">
        {p.templateName} version {p.version} on a {p.dataModelRoot ?? "device of unknown data model"} device
        {p.mappingFiles.length > 0 && ` (mapping: ${p.mappingFiles.join(", ")})`}.
      </p>
      {!p.treeKnown && (
        <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
          Beacon has not read this device's parameter tree yet, so the names were checked against the mapping only.
          Refresh its parameters on the device page for a firmer answer.
        </p>
      )}
      {p.dataModelRoot && !p.networks && (
        <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">{tNetworks("notRead")}</p>
      )}
      {p.networksRecognised === false && (
        <div role="status" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
          <p className="font-medium">{tNetworks("notRecognised")}</p>
          <p>{tNetworks("notRecognisedHelp")}</p>
        </div>
      )}
      {p.values.length === 0 ? (
        <p className="text-sm text-slate-600">The template sets nothing on this device.</p>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="min-w-full text-left text-sm">
            <caption className="sr-only">Values the template would set</caption>
            <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-600">
              <tr>
                <th scope="col" className="px-3 py-2">
                  Network
                </th>
                <th scope="col" className="px-3 py-2">
                  Parameter
                </th>
                <th scope="col" className="px-3 py-2">
                  Value
                </th>
                <th scope="col" className="px-3 py-2">
                  Type
                </th>
                <th scope="col" className="px-3 py-2">
                  From
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {[...p.values]
                .sort((a, b) => (a.network ?? "~").localeCompare(b.network ?? "~"))
                .map((v) => (
                  <tr key={v.path} data-network={v.network ?? ""}>
                    <td className="px-3 py-2 text-xs">{v.network ?? "—"}</td>
                    <td className="px-3 py-2 font-mono text-xs">{v.path}</td>
                    <td className="px-3 py-2 font-mono text-xs">
                      {v.value}
                      {v.secret && <span className="ml-2 font-sans text-slate-500">(secret)</span>}
                      {v.generated && !v.secret && (
                        <span className="ml-2 font-sans text-slate-500">(generated: another each time)</span>
                      )}
                    </td>
                    <td className="px-3 py-2 font-mono text-xs">{v.type}</td>
                    <td className="px-3 py-2 text-xs">{v.setting ?? "raw parameter"}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        </div>
      )}
      {p.skipped.length > 0 && (
        <section aria-label="Settings the device cannot take">
          <h4 className="text-sm font-semibold text-slate-800">Cannot take</h4>
          <ul className="mt-1 space-y-1 text-sm">
            {p.skipped.map((s) => (
              <li key={`${s.setting ?? ""}:${s.path ?? ""}`}>
                <code className="text-xs">{s.setting ?? s.path}</code>: {sentence(s.reason)}
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
