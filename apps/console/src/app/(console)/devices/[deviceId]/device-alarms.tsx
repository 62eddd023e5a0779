"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useCurrentDomain } from "@/components/domain/current-domain.tsx";
import { LocalTime } from "@/components/local-time.tsx";
import { ErrorNotice } from "@/components/ui/error-notice.tsx";
import { useTRPC } from "@/trpc/client.tsx";
import type { Device } from "./device-view.tsx";

const SEVERITY = {
  critical: "bg-red-100 text-red-900",
  major: "bg-orange-100 text-orange-900",
  minor: "bg-amber-100 text-amber-900",
  warning: "bg-yellow-50 text-yellow-900",
} as const;

/** The device's active alarms, acknowledged or not; acknowledging happens on the Alarms page. */
export function DeviceAlarms({ device }: { device: Device }) {
  const trpc = useTRPC();
  const current = useCurrentDomain();
  const alarms = useQuery({
    ...trpc.alarms.list.queryOptions({ tenantId: device.domain.id, deviceId: device.id, pageSize: 20 }),
    refetchInterval: 30_000,
  });
  return (
    <section aria-labelledby="alarms-heading">
      <h2 id="alarms-heading" className="mb-3 text-base font-semibold">
        Active alarms
      </h2>
      <ErrorNotice error={alarms.error} />
      {alarms.data?.total === 0 && (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white px-4 py-4 text-center text-sm text-slate-600">
          No active alarms. Beacon raises one when the device goes offline, its optical level or WiFi load crosses a
          threshold, or it reboots or faults too often.
        </p>
      )}
      {alarms.data && alarms.data.total > 0 && (
        <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white text-sm">
          {alarms.data.rows.map((a) => (
            <li key={a.id} className="flex flex-wrap items-baseline gap-x-3 px-3 py-2">
              <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${SEVERITY[a.severity]}`}>
                {a.severity}
              </span>
              <span className="flex-1 text-slate-900">{a.message}</span>
              <span className="text-slate-500">
                since <LocalTime value={a.raisedAt} />
                {a.acknowledgedBy ? `, acknowledged by ${a.acknowledgedBy}` : ""}
              </span>
            </li>
          ))}
        </ul>
      )}
      {alarms.data && alarms.data.total > 0 && (
        <p className="mt-2 text-sm">
          <Link href={current.withDomain("/alarms")} className="text-sky-800 underline">
            Acknowledge on the Alarms page
          </Link>
        </p>
      )}
    </section>
  );
}
