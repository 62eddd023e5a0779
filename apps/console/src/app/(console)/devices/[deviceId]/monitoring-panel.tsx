"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { LineChart } from "@/components/charts/svg-charts.tsx";
import { LocalTime } from "@/components/local-time.tsx";
import { ErrorNotice } from "@/components/ui/error-notice.tsx";
import { useTRPC } from "@/trpc/client.tsx";

const RANGES = [
  { value: "24h", label: "24 h" },
  { value: "7d", label: "7 days" },
  { value: "30d", label: "30 days" },
] as const;

type Range = (typeof RANGES)[number]["value"];

const TIME: Record<Range, Intl.DateTimeFormatOptions> = {
  "24h": { hour: "2-digit", minute: "2-digit" },
  "7d": { weekday: "short", hour: "2-digit" },
  "30d": { day: "numeric", month: "short" },
};

/** The device's monitored values over time, in the viewer's zone. */
export function MonitoringPanel({ deviceId }: { deviceId: string }) {
  const trpc = useTRPC();
  const [range, setRange] = useState<Range>("24h");
  const series = useQuery(trpc.monitoring.deviceSeries.queryOptions({ deviceId, range }));
  const format = (at: Date) => new Intl.DateTimeFormat(undefined, TIME[range]).format(at);
  return (
    <section aria-labelledby="monitoring-heading">
      <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
        <h2 id="monitoring-heading" className="text-base font-semibold">
          Monitoring
        </h2>
        <fieldset className="flex gap-1">
          <legend className="sr-only">Time range</legend>
          {RANGES.map((r) => (
            <label
              key={r.value}
              className={`cursor-pointer rounded-md border px-2.5 py-1 text-xs font-medium focus-within:ring-2 focus-within:ring-sky-600 ${range === r.value ? "border-sky-700 bg-sky-700 text-white" : "border-slate-300 bg-white text-slate-800"}`}
            >
              <input
                type="radio"
                name="monitoring-range"
                value={r.value}
                checked={range === r.value}
                onChange={() => setRange(r.value)}
                className="sr-only"
              />
              {r.label}
            </label>
          ))}
        </fieldset>
      </div>
      <ErrorNotice error={series.error} />
      {series.data && series.data.series.length === 0 && (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white px-4 py-6 text-center text-sm text-slate-600">
          No readings yet. Beacon records optical levels, temperatures and WiFi clients as the device reports them; run
          a health check to read them now, or give the device's model a monitoring profile.
        </p>
      )}
      {series.data && series.data.series.length > 0 && (
        <ul className="grid grid-cols-1 gap-4 lg:grid-cols-2">
          {series.data.series.map((s) => {
            const readings = s.points.reduce((n, p) => n + p.readings, 0);
            return (
              <li key={s.metric} className="rounded-lg border border-slate-200 bg-white p-3">
                <p className="text-sm font-medium text-slate-900">
                  {s.description[0]?.toUpperCase()}
                  {s.description.slice(1)}: {s.latest.value === null ? "no reading" : `${s.latest.value} ${s.unit}`}{" "}
                  <span className="font-normal text-slate-500">
                    (<LocalTime value={s.latest.at} relative />)
                  </span>
                </p>
                {readings === 0 ? (
                  <p className="mt-2 text-sm text-slate-600">No readings in this range.</p>
                ) : (
                  <LineChart title={s.description} unit={s.unit} points={s.points} formatTime={format} />
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
