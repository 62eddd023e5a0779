"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useLocale, useTranslations } from "next-intl";
import { BarChart } from "@/components/charts/bar-chart.tsx";
import { useCurrentDomain } from "@/components/domain/current-domain.tsx";
import { ErrorNotice } from "@/components/ui/error-notice.tsx";
import { useTRPC } from "@/trpc/client.tsx";

const CLASSES = [
  ["good", "text-emerald-800", "bg-emerald-600"],
  ["warning", "text-amber-800", "bg-amber-500"],
  ["critical", "text-red-800", "bg-red-600"],
  ["overload", "text-red-800", "bg-red-900"],
  ["noSignal", "text-red-800", "bg-slate-900"],
  ["stale", "text-slate-600", "bg-slate-300"],
] as const;

type ClassKey = (typeof CLASSES)[number][0];

/** Open alarms and the received optical power of the domain's ONTs, overall and per site, for the dashboard. */
export function DashboardMonitoring({ tenantId }: { tenantId: string }) {
  const t = useTranslations("monitoring.dashboard");
  const locale = useLocale();
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
  const bySite = useQuery({
    ...trpc.monitoring.opticalDistributionBySite.queryOptions({ tenantId }),
    refetchInterval: 60_000,
  });
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  const o = optical.data;
  const th = o?.thresholds;
  const sites = bySite.data?.sites ?? [];
  return (
    <div className="grid gap-6 lg:grid-cols-3">
      <section aria-labelledby="alarms-summary-heading">
        <h2 id="alarms-summary-heading" className="mb-3 text-base font-semibold">
          {t("alarms")}
        </h2>
        <ErrorNotice error={open.error ?? active.error} />
        <Link
          href={current.withDomain("/alarms")}
          className="block rounded-lg border border-slate-200 bg-white p-4 hover:border-sky-300"
        >
          <span className="block text-sm text-slate-600">{t("openAlarms")}</span>
          <span
            className={`mt-1 block text-2xl font-semibold ${(open.data?.total ?? 0) > 0 ? "text-red-800" : "text-slate-900"}`}
          >
            {open.data ? number.format(open.data.total) : "…"}
          </span>
          <span className="mt-1 block text-xs text-slate-500">
            {active.data ? t("activeAlarms", { count: active.data.total }) : ""}
          </span>
        </Link>
      </section>
      <section aria-labelledby="optical-heading" className="lg:col-span-2">
        <h2 id="optical-heading" className="mb-3 text-base font-semibold">
          {t("optical")}
        </h2>
        <ErrorNotice error={optical.error ?? bySite.error} />
        {o && o.devices === 0 && (
          <p className="rounded-lg border border-dashed border-slate-300 bg-white px-4 py-6 text-sm text-slate-600">
            {t("opticalEmpty")}
          </p>
        )}
        {o && o.devices > 0 && th && (
          <div className="rounded-lg border border-slate-200 bg-white p-4">
            <ul className="flex flex-wrap gap-x-5 gap-y-1 text-sm">
              {CLASSES.map(([key, tone]) => (
                <li key={key}>
                  <span className={`font-semibold ${tone}`}>{number.format(o.classes[key])}</span> {t(`classes.${key}`)}
                </li>
              ))}
            </ul>
            <p className="mt-1 text-xs text-slate-500">
              {t("thresholds", {
                count: o.devices,
                warning: number.format(th.warning),
                critical: number.format(th.critical),
                overload: number.format(th.overload),
              })}
              {o.percentiles
                ? ` ${t("percentiles", {
                    p50: number.format(o.percentiles.p50),
                    p5: number.format(o.percentiles.p5),
                    p95: number.format(o.percentiles.p95),
                  })}`
                : ""}
            </p>
            {o.histogram.length > 0 && (
              <BarChart
                title={t("histogram")}
                unit={t("ontsUnit")}
                bars={o.histogram.map((h) => ({
                  label: t("step", { from: h.fromDbm, to: h.fromDbm + 1 }),
                  value: h.devices,
                  text: t("onts", { count: h.devices }),
                  tone:
                    h.fromDbm + 1 > th.overload
                      ? "red"
                      : h.fromDbm >= th.warning
                        ? "emerald"
                        : h.fromDbm >= th.critical
                          ? "amber"
                          : "red",
                }))}
              />
            )}
            {sites.length > 1 && (
              <div className="mt-4">
                <h3 className="text-sm font-semibold text-slate-900">{t("perSite")}</h3>
                <table className="mt-2 w-full text-sm">
                  <caption className="sr-only">{t("perSite")}</caption>
                  <thead>
                    <tr className="text-left text-xs text-slate-500">
                      <th scope="col" className="py-1 pr-2 font-medium">
                        {t("site")}
                      </th>
                      <th scope="col" className="py-1 pr-2 font-medium">
                        {t("spread")}
                      </th>
                      <th scope="col" className="py-1 pr-2 text-right font-medium">
                        {t("median")}
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {sites.map((s) => (
                      <tr key={s.tenantId} className="border-t border-slate-100">
                        <th scope="row" className="py-1.5 pr-2 text-left font-normal">
                          <Link
                            href={{ pathname: "/", query: { domain: s.tenantId } }}
                            target="_blank"
                            className="text-sky-800 underline-offset-2 hover:underline"
                          >
                            {s.name}
                          </Link>
                          <span className="ml-1 text-xs text-slate-500">{t("onts", { count: s.devices })}</span>
                        </th>
                        <td className="w-1/2 py-1.5 pr-2">
                          <SiteBar classes={s.classes} devices={s.devices} label={s.name} />
                        </td>
                        <td className="py-1.5 pr-2 text-right tabular-nums">
                          {s.median === null ? "–" : `${number.format(s.median)} dBm`}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </div>
        )}
      </section>
    </div>
  );
}

/** One site's ONTs by class as a stacked bar. */
function SiteBar({ classes, devices, label }: { classes: Record<ClassKey, number>; devices: number; label: string }) {
  const t = useTranslations("monitoring.dashboard");
  const words = CLASSES.filter(([key]) => classes[key])
    .map(([key]) => `${classes[key]} ${t(`classes.${key}`)}`)
    .join(", ");
  return (
    <div
      role="img"
      aria-label={`${label}: ${words}`}
      className="flex h-2.5 w-full overflow-hidden rounded-full bg-slate-100"
    >
      {devices > 0 &&
        CLASSES.map(([key, , bar]) =>
          classes[key] ? (
            <div
              key={key}
              className={bar}
              style={{ width: `${(classes[key] / devices) * 100}%` }}
              title={`${classes[key]} ${t(`classes.${key}`)}`}
            />
          ) : null,
        )}
    </div>
  );
}
