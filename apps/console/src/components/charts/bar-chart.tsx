"use client";

import { useLocale, useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import {
  Cell,
  LabelList,
  Bar as RechartsBar,
  BarChart as RechartsBarChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";

export interface Bar {
  label: string;
  value: number | null;
  /** Shown on the bar; defaults to the value and unit. */
  text?: string;
  tone?: "sky" | "emerald" | "amber" | "red" | "slate";
}

const FILL = {
  sky: "#0284c7",
  emerald: "#059669",
  amber: "#f59e0b",
  red: "#dc2626",
  slate: "#94a3b8",
} as const;

const ROW = 24;

/** Horizontal bars, one per row: hops of a trace route, replies of a ping, ONTs per level of received power. */
export function BarChart({ title, bars, unit }: { title: string; bars: readonly Bar[]; unit: string }) {
  const t = useTranslations("charts");
  const locale = useLocale();
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  const text = (b: Bar) => b.text ?? (b.value === null ? t("noAnswer") : `${number.format(b.value)} ${unit}`);
  const rows = bars.map((b, i) => ({
    key: `${b.label}-${i}`,
    label: b.label,
    value: b.value ?? 0,
    text: text(b),
    tone: b.tone ?? "sky",
  }));
  const summary = `${title}: ${bars.map((b) => `${b.label} ${text(b)}`).join("; ")}`;
  return (
    <figure className="mt-2" aria-label={summary} data-chart="bars">
      <div role="img" aria-label={summary} style={{ height: bars.length * ROW + 8 }} className="w-full max-w-xl">
        {mounted && (
          <ResponsiveContainer width="100%" height="100%">
            <RechartsBarChart data={rows} layout="vertical" margin={{ top: 4, right: 90, bottom: 4, left: 0 }}>
              <XAxis type="number" hide domain={[0, "dataMax"]} />
              <YAxis
                type="category"
                dataKey="label"
                width={140}
                tick={{ fontSize: 11, fill: "#475569" }}
                tickFormatter={(v: string) => (v.length > 22 ? `${v.slice(0, 21)}…` : v)}
              />
              <Tooltip formatter={(_value, _name, item) => [String((item.payload as { text: string }).text), title]} />
              <RechartsBar dataKey="value" isAnimationActive={false} minPointSize={2} radius={2}>
                {rows.map((r) => (
                  <Cell key={r.key} fill={FILL[r.tone]} />
                ))}
                <LabelList dataKey="text" position="right" style={{ fontSize: 11, fill: "#1e293b" }} />
              </RechartsBar>
            </RechartsBarChart>
          </ResponsiveContainer>
        )}
      </div>
      <figcaption className="text-xs text-slate-500">{title}</figcaption>
    </figure>
  );
}
