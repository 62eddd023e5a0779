/**
 * Plain SVG charts, no chart library: small enough to read at a glance, labelled for screen readers by a title
 * and a table-like description of the bars.
 */

export interface Bar {
  label: string;
  value: number | null;
  /** Shown on the bar; defaults to the value. */
  text?: string;
  tone?: "sky" | "emerald" | "amber" | "red" | "slate";
}

const FILL = {
  sky: "fill-sky-600",
  emerald: "fill-emerald-600",
  amber: "fill-amber-500",
  red: "fill-red-600",
  slate: "fill-slate-400",
} as const;

/** Horizontal bars, one per row: hops of a trace route, replies of a ping, networks per channel. */
export function BarChart({ title, bars, unit }: { title: string; bars: readonly Bar[]; unit: string }) {
  const max = Math.max(1, ...bars.map((b) => b.value ?? 0));
  const row = 22;
  const labelWidth = 130;
  const width = 480;
  const height = bars.length * row + 4;
  return (
    <figure className="mt-2">
      <svg
        role="img"
        aria-label={`${title}: ${bars.map((b) => `${b.label} ${b.text ?? (b.value === null ? "no answer" : `${b.value} ${unit}`)}`).join("; ")}`}
        viewBox={`0 0 ${width} ${height}`}
        className="w-full max-w-xl"
      >
        {bars.map((b, i) => {
          const w = b.value === null ? 0 : Math.max(2, ((width - labelWidth - 70) * b.value) / max);
          const y = i * row + 2;
          return (
            <g key={`${b.label}-${i}`}>
              <text x={labelWidth - 6} y={y + 14} textAnchor="end" className="fill-slate-600 text-[11px]">
                {b.label.length > 20 ? `${b.label.slice(0, 19)}…` : b.label}
              </text>
              <rect x={labelWidth} y={y + 3} width={w} height={row - 8} rx={2} className={FILL[b.tone ?? "sky"]} />
              <text x={labelWidth + w + 6} y={y + 14} className="fill-slate-800 text-[11px]">
                {b.text ?? (b.value === null ? "no answer" : `${b.value} ${unit}`)}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption className="text-xs text-slate-500">{title}</figcaption>
    </figure>
  );
}

export interface LinePoint {
  at: Date;
  min: number | null;
  avg: number | null;
  max: number | null;
}

/** A metric over time: the average as a line, the range of each bucket as a band; gaps where nothing was read. */
export function LineChart({
  title,
  points,
  unit,
  formatTime,
}: {
  title: string;
  points: readonly LinePoint[];
  unit: string;
  formatTime: (at: Date) => string;
}) {
  const width = 560;
  const height = 140;
  const left = 44;
  const bottom = 20;
  const values = points.flatMap((p) => [p.min, p.max].filter((v): v is number => v !== null));
  if (!values.length) return null;
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (hi - lo < 1) {
    lo -= 0.5;
    hi += 0.5;
  }
  const x = (i: number) => left + ((width - left - 8) * i) / Math.max(1, points.length - 1);
  const y = (v: number) => 6 + ((height - bottom - 12) * (hi - v)) / (hi - lo);
  const segments: string[] = [];
  let current = "";
  points.forEach((p, i) => {
    if (p.avg === null) {
      if (current) segments.push(current);
      current = "";
      return;
    }
    current += `${current ? "L" : "M"}${x(i).toFixed(1)},${y(p.avg).toFixed(1)}`;
  });
  if (current) segments.push(current);
  const latest = [...points].reverse().find((p) => p.avg !== null);
  return (
    <figure>
      <svg
        role="img"
        aria-label={`${title}: from ${lo.toFixed(1)} to ${hi.toFixed(1)} ${unit}${latest ? `, latest ${latest.avg} ${unit}` : ""}`}
        viewBox={`0 0 ${width} ${height}`}
        className="w-full"
      >
        <line x1={left} x2={width - 8} y1={height - bottom} y2={height - bottom} className="stroke-slate-300" />
        <text x={left - 4} y={y(hi) + 4} textAnchor="end" className="fill-slate-500 text-[10px]">
          {hi.toFixed(1)}
        </text>
        <text x={left - 4} y={y(lo) + 4} textAnchor="end" className="fill-slate-500 text-[10px]">
          {lo.toFixed(1)}
        </text>
        {points.map((p, i) =>
          p.min !== null && p.max !== null ? (
            <rect
              key={p.at.toISOString()}
              x={x(i) - 1.5}
              y={y(p.max)}
              width={3}
              height={Math.max(1, y(p.min) - y(p.max))}
              className="fill-sky-200"
            />
          ) : null,
        )}
        {segments.map((d) => (
          <path key={d} d={d} className="fill-none stroke-sky-700" strokeWidth={1.5} />
        ))}
        <text x={left} y={height - 4} className="fill-slate-500 text-[10px]">
          {points[0] ? formatTime(points[0].at) : ""}
        </text>
        <text x={width - 8} y={height - 4} textAnchor="end" className="fill-slate-500 text-[10px]">
          {points.at(-1) ? formatTime(points.at(-1)!.at) : ""}
        </text>
      </svg>
      <figcaption className="text-xs text-slate-500">
        {title} ({unit}); line: average, band: lowest to highest reading
      </figcaption>
    </figure>
  );
}
