"use client";

import { useLocale, useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import {
  Area,
  CartesianGrid,
  ComposedChart,
  Line,
  ReferenceArea,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";

export interface TimePoint {
  at: Date;
  min: number | null;
  avg: number | null;
  max: number | null;
}

/** A range the values should stay in (e.g. a receiver's class), shaded, with its limits drawn. */
export interface ChartBand {
  from: number;
  to: number;
  label: string;
}

/** A threshold drawn across the chart. */
export interface ChartLine {
  y: number;
  label: string;
  tone?: "amber" | "red";
}

interface Row {
  t: number;
  avg: number | null;
  range: [number, number] | null;
}

const TICKS = 6;

/**
 * A metric over time: the average of each bucket as a line (a lone reading as a dot), the lowest to highest
 * reading as a band behind it, optional bands and thresholds; time runs left to right, in the viewer's zone and
 * locale; hovering a point shows its time and values.
 */
export function TimeSeriesChart({
  title,
  points,
  unit,
  from,
  to,
  range,
  bands = [],
  lines = [],
  formatValue,
}: {
  title: string;
  points: readonly TimePoint[];
  unit: string;
  from: Date;
  to: Date;
  range: "24h" | "7d" | "30d";
  bands?: readonly ChartBand[];
  lines?: readonly ChartLine[];
  formatValue?: (value: number) => string;
}) {
  const t = useTranslations("charts");
  const locale = useLocale();
  // Rendered in the browser only: its time zone is the viewer's, the server's is not.
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  const rows: Row[] = points
    .map((p) => ({
      t: p.at.getTime(),
      avg: p.avg,
      range: p.min !== null && p.max !== null ? ([p.min, p.max] as [number, number]) : null,
    }))
    .sort((a, b) => a.t - b.t);
  const values = rows.flatMap((r) => (r.range ? r.range : []));
  if (!values.length) return null;
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  const show = formatValue ?? ((v: number) => `${number.format(v)} ${unit}`);
  let lo = Math.min(...values, ...bands.map((b) => b.from - 1), ...lines.map((l) => l.y - 1));
  let hi = Math.max(...values, ...bands.map((b) => b.to + 1), ...lines.map((l) => l.y + 1));
  if (hi - lo < 1) {
    lo -= 0.5;
    hi += 0.5;
  }
  const tickTime = new Intl.DateTimeFormat(
    locale,
    range === "24h"
      ? { hour: "2-digit", minute: "2-digit" }
      : range === "7d"
        ? { weekday: "short", hour: "2-digit" }
        : { day: "numeric", month: "short" },
  );
  const fullTime = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" });
  const span = to.getTime() - from.getTime();
  const ticks = Array.from({ length: TICKS + 1 }, (_, i) => from.getTime() + (span * i) / TICKS);
  const withValue = rows.filter((r) => r.avg !== null);
  const latest = withValue.at(-1);
  // A reading with no neighbour on either side has no line through it: draw it as a dot.
  const lone = new Set(
    rows
      .map((r, i) => (r.avg !== null && rows[i - 1]?.avg == null && rows[i + 1]?.avg == null ? i : -1))
      .filter((i) => i >= 0),
  );
  const summary = t("summary", {
    title,
    low: show(Math.min(...values)),
    high: show(Math.max(...values)),
    latest: latest?.avg != null ? show(latest.avg) : t("noReading"),
    readings: withValue.length,
  });
  return (
    <figure aria-label={summary} data-chart="time-series" data-readings={withValue.length}>
      <div role="img" aria-label={summary} className="h-48 w-full">
        {mounted && (
          <ResponsiveContainer width="100%" height="100%">
            <ComposedChart data={rows} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
              <CartesianGrid stroke="#e2e8f0" strokeDasharray="3 3" />
              {bands.map((b) => (
                <ReferenceArea
                  key={b.label}
                  y1={b.from}
                  y2={b.to}
                  fill="#10b981"
                  fillOpacity={0.08}
                  stroke="none"
                  ifOverflow="extendDomain"
                  label={{ value: b.label, position: "insideTopLeft", fill: "#047857", fontSize: 10 }}
                  className="chart-band"
                />
              ))}
              {bands.flatMap((b) =>
                [b.from, b.to].map((y) => (
                  <ReferenceLine key={`${b.label}-${y}`} y={y} stroke="#047857" strokeDasharray="4 3" />
                )),
              )}
              {lines.map((l) => (
                <ReferenceLine
                  key={l.label}
                  y={l.y}
                  stroke={l.tone === "red" ? "#dc2626" : "#d97706"}
                  strokeDasharray="2 3"
                  label={{ value: l.label, position: "insideBottomRight", fontSize: 10, fill: "#92400e" }}
                />
              ))}
              <XAxis
                dataKey="t"
                type="number"
                scale="time"
                domain={[from.getTime(), to.getTime()]}
                ticks={ticks}
                tickFormatter={(v: number) => tickTime.format(new Date(v))}
                tick={{ fontSize: 10, fill: "#64748b" }}
                allowDataOverflow
              />
              <YAxis
                domain={[Math.floor(lo), Math.ceil(hi)]}
                tick={{ fontSize: 10, fill: "#64748b" }}
                tickFormatter={(v: number) => number.format(v)}
                width={44}
              />
              <Tooltip
                labelFormatter={(v) => fullTime.format(new Date(Number(v)))}
                formatter={(value, name) => {
                  if (Array.isArray(value)) {
                    return [`${show(Number(value[0]))} – ${show(Number(value[1]))}`, t("lowestToHighest")];
                  }
                  return [show(Number(value)), name === "avg" ? t("average") : String(name)];
                }}
              />
              <Area
                dataKey="range"
                stroke="none"
                fill="#bae6fd"
                fillOpacity={0.7}
                connectNulls={false}
                isAnimationActive={false}
              />
              <Line
                dataKey="avg"
                stroke="#0369a1"
                strokeWidth={1.5}
                connectNulls={false}
                isAnimationActive={false}
                dot={(props: { cx?: number; cy?: number; index?: number }) =>
                  lone.has(props.index ?? -1) && props.cx !== undefined && props.cy !== undefined ? (
                    <circle
                      key={`dot-${props.index}`}
                      cx={props.cx}
                      cy={props.cy}
                      r={3.5}
                      fill="#0369a1"
                      className="chart-lone-reading"
                    />
                  ) : (
                    <g key={`dot-${props.index}`} />
                  )
                }
                activeDot={{ r: 4 }}
              />
            </ComposedChart>
          </ResponsiveContainer>
        )}
      </div>
      <figcaption className="text-xs text-slate-500">{t("caption", { title, unit })}</figcaption>
    </figure>
  );
}
