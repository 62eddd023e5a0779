"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { BarChart } from "@/components/charts/svg-charts.tsx";
import { useCurrentDomain } from "@/components/domain/current-domain.tsx";
import { ErrorNotice } from "@/components/ui/error-notice.tsx";
import { useTRPC } from "@/trpc/client.tsx";

const CLASSES = [
  ["good", "fine", "text-emerald-800"],
  ["warning", "weak", "text-amber-800"],
  ["critical", "too weak", "text-red-800"],
  ["overload", "overloaded", "text-red-800"],
  ["noSignal", "no signal", "text-red-800"],
  ["stale", "no reading in 24 h", "text-slate-600"],
] as const;

/** Open alarms and the received optical power of the domain's ONTs, for the dashboard. */
export function DashboardMonitoring({ tenantId }: { tenantId: string }) {
  const trpc = useTRPC();
  const current = useCurrentDomain();
  const open = useQuery({
    ...trpc.alarms.list.queryOptions({ tenantId, state: "open", pageSize: 1 }),
    refetchInterval: 30_000,
  });
  const active = useQuery({ ...trpc.alarms.list.queryOptions({ tenantId, pageSize: 1 }), refetchInterval: 30_000 });
  const optical = useQuery({
    ...trpc.monitoring.opticalDistribution.queryOptions({ tenantId }),
    refetchInterval: 60_000,
  });
  const o = optical.data;
  const t = o?.thresholds;
  return (
    <div className="grid gap-6 lg:grid-cols-3">
      <section aria-labelledby="alarms-summary-heading">
        <h2 id="alarms-summary-heading" className="mb-3 text-base font-semibold">
          Alarms
        </h2>
        <ErrorNotice error={open.error ?? active.error} />
        <Link
          href={current.withDomain("/alarms")}
          className="block rounded-lg border border-slate-200 bg-white p-4 hover:border-sky-300"
        >
          <span className="block text-sm text-slate-600">Open (nobody on them yet)</span>
          <span
            className={`mt-1 block text-2xl font-semibold ${(open.data?.total ?? 0) > 0 ? "text-red-800" : "text-slate-900"}`}
          >
            {open.data ? open.data.total.toLocaleString() : "…"}
          </span>
          <span className="mt-1 block text-xs text-slate-500">
            {active.data ? `${active.data.total.toLocaleString()} active in all` : ""}
          </span>
        </Link>
      </section>
      <section aria-labelledby="optical-heading" className="lg:col-span-2">
        <h2 id="optical-heading" className="mb-3 text-base font-semibold">
          Optical received power
        </h2>
        <ErrorNotice error={optical.error} />
        {o && o.devices === 0 && (
          <p className="rounded-lg border border-dashed border-slate-300 bg-white px-4 py-6 text-sm text-slate-600">
            No optical readings here yet. ONTs report their received power with their Informs once their model has a
            monitoring mapping; it then shows here per level.
          </p>
        )}
        {o && o.devices > 0 && t && (
          <div className="rounded-lg border border-slate-200 bg-white p-4">
            <ul className="flex flex-wrap gap-x-5 gap-y-1 text-sm">
              {CLASSES.map(([key, words, tone]) => (
                <li key={key}>
                  <span className={`font-semibold ${tone}`}>{o.classes[key]}</span> {words}
                </li>
              ))}
            </ul>
            <p className="mt-1 text-xs text-slate-500">
              {o.devices} ONTs. Fine above {t.warning} dBm, weak down to {t.critical} dBm, overloaded above {t.overload}{" "}
              dBm
              {o.percentiles
                ? `; median ${o.percentiles.p50} dBm, 90% between ${o.percentiles.p5} and ${o.percentiles.p95} dBm`
                : ""}
              .
            </p>
            {o.histogram.length > 0 && (
              <BarChart
                title="ONTs per 1 dB of received power"
                unit="ONTs"
                bars={o.histogram.map((h) => ({
                  label: `${h.fromDbm} to ${h.fromDbm + 1} dBm`,
                  value: h.devices,
                  tone:
                    h.fromDbm + 1 > t.overload
                      ? "red"
                      : h.fromDbm >= t.warning
                        ? "emerald"
                        : h.fromDbm >= t.critical
                          ? "amber"
                          : "red",
                }))}
              />
            )}
          </div>
        )}
      </section>
    </div>
  );
}
