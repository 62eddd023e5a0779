import type { Db } from "@beacon/db";
import { Invalid } from "../errors.ts";
import { isMetricName, METRICS, type MetricName } from "./metrics.ts";

/** Each range as a chart wants it: about a hundred points. */
export const SERIES_RANGES = {
  "24h": { spanMs: 24 * 3_600_000, bucketMs: 15 * 60_000 },
  "7d": { spanMs: 7 * 24 * 3_600_000, bucketMs: 3_600_000 },
  "30d": { spanMs: 30 * 24 * 3_600_000, bucketMs: 6 * 3_600_000 },
} as const;

export type SeriesRange = keyof typeof SERIES_RANGES;

export interface SeriesPoint {
  /** Start of the bucket. */
  at: Date;
  min: number | null;
  avg: number | null;
  max: number | null;
  /** Readings with a value. */
  readings: number;
  /** Readings without a usable value (for optical levels: no signal). */
  noReading: number;
}

export interface Series {
  deviceId: string;
  metric: MetricName;
  unit: string;
  range: SeriesRange;
  bucketSeconds: number;
  from: Date;
  to: Date;
  /** Every bucket of the range, oldest first; buckets without samples have readings 0 and null values. */
  points: SeriesPoint[];
}

/** A device's metric over the last 24 hours, 7 days or 30 days, in buckets of min / avg / max. */
export async function querySeries(
  db: Db,
  deviceId: string,
  metric: string,
  range: SeriesRange,
  now: Date = new Date(),
): Promise<Series> {
  if (!isMetricName(metric)) throw new Invalid(`unknown metric ${metric}`);
  const spec = SERIES_RANGES[range];
  if (!spec) throw new Invalid(`unknown range ${range}; expected 24h, 7d or 30d`);
  const to = new Date(Math.ceil(now.getTime() / spec.bucketMs) * spec.bucketMs);
  const from = new Date(to.getTime() - spec.spanMs);
  const bucketSeconds = spec.bucketMs / 1000;
  const rows = await db.$queryRaw<
    { bucket: Date; min: number | null; avg: number | null; max: number | null; readings: number; noReading: number }[]
  >`
    SELECT date_bin(make_interval(secs => ${bucketSeconds}::int), "at", ${from}::timestamptz) AS "bucket",
      min("value") AS "min", avg("value") AS "avg", max("value") AS "max",
      count("value")::int AS "readings", (count(*) - count("value"))::int AS "noReading"
    FROM "MetricSample"
    WHERE "deviceId" = ${deviceId}::uuid AND "metric" = ${metric}
      AND "at" >= ${from}::timestamptz AND "at" < ${to}::timestamptz
    GROUP BY 1 ORDER BY 1`;
  const byBucket = new Map(rows.map((r) => [new Date(r.bucket).getTime(), r]));
  const points: SeriesPoint[] = [];
  for (let t = from.getTime(); t < to.getTime(); t += spec.bucketMs) {
    const row = byBucket.get(t);
    points.push({
      at: new Date(t),
      min: row?.min ?? null,
      avg: row?.avg === null || row?.avg === undefined ? null : Math.round(row.avg * 1000) / 1000,
      max: row?.max ?? null,
      readings: row?.readings ?? 0,
      noReading: row?.noReading ?? 0,
    });
  }
  return { deviceId, metric, unit: METRICS[metric].unit, range, bucketSeconds, from, to, points };
}
