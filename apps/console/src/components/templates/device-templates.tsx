"use client";

import { useQuery } from "@tanstack/react-query";
import { LocalTime } from "@/components/local-time.tsx";
import { ErrorNotice } from "@/components/ui/error-notice.tsx";
import { useTRPC } from "@/trpc/client.tsx";
import type { RouterOutputs } from "@/trpc/types.ts";

type RefusedSetting = RouterOutputs["templates"]["drift"]["refused"][number];

/**
 * The templates a device carries and where its values no longer match them. Standalone, so that the device page
 * can embed it: <DeviceTemplates deviceId={id} />.
 */
export function DeviceTemplates({ deviceId }: { deviceId: string }) {
  const trpc = useTRPC();
  const drift = useQuery(trpc.templates.drift.queryOptions({ deviceId }, { refetchInterval: 15_000 }));
  if (drift.error) return <ErrorNotice error={drift.error} />;
  if (!drift.data) return <p className="text-sm text-slate-500">Loading templates…</p>;
  const d = drift.data;
  if (d.carried.length === 0) {
    return (
      <p className="rounded-lg border border-dashed border-slate-300 bg-white px-4 py-6 text-center text-sm text-slate-600">
        This device carries no template. Apply one from its template's page, or assign the device to a room or line
        whose domain has an auto-apply template.
      </p>
    );
  }
  return (
    <div className="space-y-4">
      <ul className="space-y-1 text-sm">
        {d.carried.map((c) => (
          <li key={c.templateId}>
            <span className="font-medium">{c.name}</span> version {c.version ?? "?"}
            {c.latestVersion !== null && c.version !== null && c.version < c.latestVersion && (
              <span className="ml-2 rounded-full bg-amber-100 px-2 py-0.5 text-xs text-amber-900">
                version {c.latestVersion} is out; apply it to update
              </span>
            )}
            <span className="text-slate-500">
              {" "}
              · applied <LocalTime value={c.appliedAt} />
              {c.appliedBy && ` by ${c.appliedBy}`}
            </span>
          </li>
        ))}
      </ul>
      {d.pending.length > 0 && (
        <p className="rounded-md bg-sky-50 px-3 py-2 text-sm text-sky-900">
          Waiting for the device to run {d.pending.map((p) => p.templateName).join(", ")}: its values are compared once
          it has.
        </p>
      )}
      {d.drifted.length === 0 ? (
        <p className="text-sm font-medium text-emerald-800">
          No drift: every value Beacon can read back matches the templates.
        </p>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-amber-300 bg-white">
          <table className="min-w-full text-left text-sm">
            <caption className="px-3 py-2 text-left text-sm font-medium text-amber-900">
              {d.drifted.length} {d.drifted.length === 1 ? "value differs" : "values differ"} from the templates
            </caption>
            <thead className="border-y border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-600">
              <tr>
                <th scope="col" className="px-3 py-2">
                  Setting
                </th>
                <th scope="col" className="px-3 py-2">
                  Template says
                </th>
                <th scope="col" className="px-3 py-2">
                  Device has
                </th>
                <th scope="col" className="px-3 py-2">
                  Seen
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {d.drifted.map((item) => (
                <tr key={`${item.templateId}:${item.path}`}>
                  <td className="px-3 py-2">
                    <span className="block">{item.setting ?? "raw parameter"}</span>
                    <span className="block font-mono text-xs text-slate-500">{item.path}</span>
                    <span className="block text-xs text-slate-500">
                      {item.templateName} v{item.version}
                    </span>
                  </td>
                  <td className="px-3 py-2 font-mono text-xs">{item.expected}</td>
                  <td className="px-3 py-2 font-mono text-xs">{item.actual}</td>
                  <td className="px-3 py-2 text-xs">
                    <LocalTime value={item.seenAt} relative />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {d.refused.length > 0 && <RefusedSettings refused={d.refused} />}
      {d.unverifiable > 0 && (
        <p className="text-xs text-slate-500">
          {d.unverifiable} {d.unverifiable === 1 ? "value is" : "values are"} not compared: secrets read back empty
          (TR-069), values not read back yet, or settings the device refused.
        </p>
      )}
    </div>
  );
}

/** The settings the device refused when a template was applied, and why; the template's other values applied. */
function RefusedSettings({ refused }: { refused: RefusedSetting[] }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-red-200 bg-white">
      <table className="min-w-full text-left text-sm">
        <caption className="px-3 py-2 text-left text-sm font-medium text-red-900">
          The device refused {refused.length} {refused.length === 1 ? "setting" : "settings"}; the other values applied
        </caption>
        <thead className="border-y border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-600">
          <tr>
            <th scope="col" className="px-3 py-2">
              Setting
            </th>
            <th scope="col" className="px-3 py-2">
              Fault
            </th>
            <th scope="col" className="px-3 py-2">
              Why
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {refused.map((item) => (
            <tr key={`${item.templateId}:${item.path}`}>
              <td className="px-3 py-2">
                <span className="block">{item.setting ?? "raw parameter"}</span>
                <span className="block font-mono text-xs text-slate-500">{item.path}</span>
                <span className="block text-xs text-slate-500">
                  {item.templateName} v{item.version}
                </span>
              </td>
              <td className="px-3 py-2 font-mono text-xs">{item.code}</td>
              <td className="px-3 py-2 text-xs">{item.explanation}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
