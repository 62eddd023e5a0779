"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useLocale, useTranslations } from "next-intl";
import { useState } from "react";
import { type ChartBand, type ChartLine, TimeSeriesChart } from "@/components/charts/time-series-chart.tsx";
import { useCurrentDomain } from "@/components/domain/current-domain.tsx";
import { LocalTime } from "@/components/local-time.tsx";
import { ErrorNotice } from "@/components/ui/error-notice.tsx";
import { useTRPC } from "@/trpc/client.tsx";

const RANGES = ["24h", "7d", "30d"] as const;
type Range = (typeof RANGES)[number];

/** GPON class B+ (ITU-T G.984.2): a receiver works from -27 dBm (sensitivity) to -8 dBm (overload). */
const CLASS_B_PLUS = { from: -27, to: -8, warning: -25 };

/** The device's monitored values over time, in the viewer's zone and language. */
export function MonitoringPanel({ deviceId }: { deviceId: string }) {
  const t = useTranslations("monitoring");
  const locale = useLocale();
  const trpc = useTRPC();
  const current = useCurrentDomain();
  const [range, setRange] = useState<Range>("24h");
  const series = useQuery({
    ...trpc.monitoring.deviceSeries.queryOptions({ deviceId, range }),
    refetchInterval: 60_000,
  });
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  const format = (metric: string, unit: string) => (value: number) => {
    if (metric === "wifi.clients") return t("clients", { count: Math.round(value) });
    if (metric === "device.uptime") return formatDuration(value, locale);
    return `${number.format(value)} ${unit}`;
  };
  return (
    <section aria-labelledby="monitoring-heading">
      <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
        <h2 id="monitoring-heading" className="text-base font-semibold">
          {t("heading")}{" "}
          <Link
            href={current.withDomain("/monitoring")}
            className="ml-2 text-xs font-normal text-sky-800 underline-offset-2 hover:underline"
          >
            {t("profilesLink")}
          </Link>
        </h2>
        <fieldset className="flex gap-1">
          <legend className="sr-only">{t("range.legend")}</legend>
          {RANGES.map((r) => (
            <label
              key={r}
              className={`cursor-pointer rounded-md border px-2.5 py-1 text-xs font-medium focus-within:ring-2 focus-within:ring-sky-600 ${range === r ? "border-sky-700 bg-sky-700 text-white" : "border-slate-300 bg-white text-slate-800"}`}
            >
              <input
                type="radio"
                name="monitoring-range"
                value={r}
                checked={range === r}
                onChange={() => setRange(r)}
                className="sr-only"
              />
              {t(`range.${r}`)}
            </label>
          ))}
        </fieldset>
      </div>
      <ErrorNotice error={series.error} />
      {series.data && series.data.series.length === 0 && (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white px-4 py-6 text-center text-sm text-slate-600">
          {t("empty")}
        </p>
      )}
      {series.data && series.data.series.length > 0 && (
        <ul className="grid grid-cols-1 gap-4 lg:grid-cols-2">
          {series.data.series.map((s) => {
            const readings = s.points.reduce((n, p) => n + p.readings, 0);
            const name = t(`metrics.${s.metric}`);
            const show = format(s.metric, s.unit);
            const optical = s.metric === "optical.rxPower";
            const bands: ChartBand[] = optical
              ? [{ from: CLASS_B_PLUS.from, to: CLASS_B_PLUS.to, label: t("classBPlus") }]
              : [];
            const lines: ChartLine[] = optical
              ? [{ y: CLASS_B_PLUS.warning, label: t("weakBelow"), tone: "amber" }]
              : [];
            return (
              <li key={s.metric} className="rounded-lg border border-slate-200 bg-white p-3" data-metric={s.metric}>
                <p className="text-sm font-medium text-slate-900">
                  {t("latest", { metric: name, value: s.latest.value === null ? t("noSignal") : show(s.latest.value) })}{" "}
                  <span className="font-normal text-slate-500">
                    (<LocalTime value={s.latest.at} relative />)
                  </span>
                </p>
                {readings === 0 ? (
                  <p className="mt-2 text-sm text-slate-600">{t("noneInRange")}</p>
                ) : (
                  <TimeSeriesChart
                    title={name}
                    unit={s.metric === "wifi.clients" ? t("clientsUnit") : s.unit}
                    points={s.points}
                    from={s.from}
                    to={s.to}
                    range={range}
                    bands={bands}
                    lines={lines}
                    formatValue={show}
                  />
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

/** "3 d 4 h", "5 h 12 min", "42 min" in the viewer's language. */
function formatDuration(seconds: number, locale: string): string {
  const unit = (value: number, u: "day" | "hour" | "minute") =>
    new Intl.NumberFormat(locale, { style: "unit", unit: u, unitDisplay: "short" }).format(value);
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3_600);
  const minutes = Math.floor((seconds % 3_600) / 60);
  if (days) return `${unit(days, "day")} ${unit(hours, "hour")}`;
  if (hours) return `${unit(hours, "hour")} ${unit(minutes, "minute")}`;
  return unit(minutes, "minute");
}
