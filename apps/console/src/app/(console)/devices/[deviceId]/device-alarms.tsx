"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTranslations } from "next-intl";
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
  const t = useTranslations("device.alarms");
  const trpc = useTRPC();
  const current = useCurrentDomain();
  const alarms = useQuery({
    ...trpc.alarms.list.queryOptions({ tenantId: device.domain.id, deviceId: device.id, pageSize: 20 }),
    refetchInterval: 30_000,
  });
  return (
    <section aria-labelledby="alarms-heading">
      <h2 id="alarms-heading" className="mb-3 text-base font-semibold">
        {t("title")}
      </h2>
      <ErrorNotice error={alarms.error} />
      {alarms.data?.total === 0 && (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white px-4 py-4 text-center text-sm text-slate-600">
          {t("empty")}
        </p>
      )}
      {alarms.data && alarms.data.total > 0 && (
        <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white text-sm">
          {alarms.data.rows.map((a) => (
            <li key={a.id} className="flex flex-wrap items-baseline gap-x-3 px-3 py-2">
              <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${SEVERITY[a.severity]}`}>
                {t(`severities.${a.severity}`)}
              </span>
              <span className="flex-1 text-slate-900">{a.message}</span>
              <span className="text-slate-500">
                {t.rich("since", { time: () => <LocalTime value={a.raisedAt} /> })}
                {a.acknowledgedBy ? t("acknowledgedBy", { name: a.acknowledgedBy }) : ""}
              </span>
            </li>
          ))}
        </ul>
      )}
      {alarms.data && alarms.data.total > 0 && (
        <p className="mt-2 text-sm">
          <Link href={current.withDomain("/alarms")} className="text-sky-800 underline">
            {t("acknowledge")}
          </Link>
        </p>
      )}
    </section>
  );
}
