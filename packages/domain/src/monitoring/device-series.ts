import type { Db } from "@beacon/db";
import { isMetricName, METRICS } from "./metrics.ts";
import { querySeries, type Series, type SeriesRange } from "./query-series.ts";

export interface DeviceSeries {
  range: SeriesRange;
  /** One per metric the device has a reading of, in the order of METRICS. */
  series: (Series & { description: string; latest: { value: number | null; at: Date } })[];
}

/** Every metric Beacon has read from a device, over the last 24 hours, 7 days or 30 days: the device page's charts. */
export async function deviceSeries(
  db: Db,
  deviceId: string,
  range: SeriesRange,
  now: Date = new Date(),
): Promise<DeviceSeries> {
  const latest = await db.deviceMetric.findMany({ where: { deviceId } });
  const order = Object.keys(METRICS);
  const known = latest
    .filter((m) => isMetricName(m.metric))
    .sort((a, b) => order.indexOf(a.metric) - order.indexOf(b.metric));
  const series = await Promise.all(
    known.map(async (m) => ({
      ...(await querySeries(db, deviceId, m.metric, range, now)),
      description: METRICS[m.metric as keyof typeof METRICS].description,
      latest: { value: m.value, at: m.at },
    })),
  );
  return { range, series };
}
