import type { Db } from "@beacon/db";
import { NotFound } from "../errors.ts";
import {
  loadMonitoringMappings,
  type MetricReading,
  type MonitoredDevice,
  type MonitoringMappingSet,
  metricReadings,
  type ResolvedMonitoring,
  resolveMonitoring,
  sourcePrefix,
} from "./monitoring-mappings.ts";
import { ensureSamplePartitions, isMissingPartition } from "./sample-partitions.ts";

export interface ParameterValue {
  name: string;
  value: string;
}

export interface RecordSamplesOptions {
  /** When the values were read; default now. */
  at?: Date;
  /** Load once per process with loadMonitoringMappings() and pass it; read from disk otherwise. */
  mappings?: MonitoringMappingSet;
  /** The device's identity when the caller has it (an Inform carries it): saves reading the Device row. */
  device?: MonitoredDevice;
}

/**
 * SESSION HOOK: call with the parameter values of every Inform and every GetParameterValuesResponse (after
 * they are stored). Keeps the values that are metrics of the device's mapping, normalised (optical levels in
 * dBm), as samples in the time series and as the device's latest readings; everything else is ignored.
 * Returns the readings recorded.
 */
export async function recordSamples(
  db: Db,
  deviceId: string,
  values: readonly ParameterValue[],
  options: RecordSamplesOptions = {},
): Promise<MetricReading[]> {
  if (!values.length) return [];
  const device = options.device?.dataModelRoot
    ? options.device
    : await db.device.findUnique({
        where: { id: deviceId },
        select: { dataModelRoot: true, manufacturer: true, oui: true, productClass: true, modelName: true },
      });
  if (!device) throw new NotFound("device");
  const resolved = resolveMonitoring(options.mappings ?? loadMonitoringMappings(), device);
  if (!resolved) return [];
  const readings = metricReadings(resolved, await withOtherInstances(db, deviceId, resolved, values));
  if (!readings.length) return [];
  await writeReadings(db, deviceId, readings, options.at ?? new Date());
  return readings;
}

/**
 * A "*" metric (WiFi clients of every access point) sums all instances, but one Inform may carry only some:
 * the others come from the stored parameters.
 */
async function withOtherInstances(
  db: Db,
  deviceId: string,
  resolved: ResolvedMonitoring,
  values: readonly ParameterValue[],
): Promise<readonly ParameterValue[]> {
  const touched = [...resolved.metrics.values()]
    .flat()
    .filter((s) => s.pattern && values.some((v) => s.pattern!.test(v.name)));
  if (!touched.length) return values;
  const stored = await db.deviceParameter.findMany({
    where: { deviceId, OR: touched.map((s) => ({ name: { startsWith: sourcePrefix(s) } })) },
    select: { name: true, value: true },
  });
  const given = new Set(values.map((v) => v.name));
  const others = stored
    .filter((p) => p.value !== null && !given.has(p.name) && touched.some((s) => s.pattern!.test(p.name)))
    .map((p) => ({ name: p.name, value: p.value! }));
  return [...others, ...values];
}

async function writeReadings(db: Db, deviceId: string, readings: readonly MetricReading[], at: Date): Promise<void> {
  const metrics = readings.map((r) => r.metric);
  const numbers = readings.map((r) => r.value);
  const write = () =>
    db.$transaction([
      db.$executeRaw`
        INSERT INTO "MetricSample" ("deviceId", "metric", "at", "value")
        SELECT ${deviceId}::uuid, r.metric, ${at}::timestamptz, r.value
        FROM unnest(${metrics}::text[], ${numbers}::float8[]) AS r(metric, value)
        ON CONFLICT DO NOTHING`,
      db.$executeRaw`
        INSERT INTO "DeviceMetric" AS m ("deviceId", "metric", "value", "at")
        SELECT ${deviceId}::uuid, r.metric, r.value, ${at}::timestamptz
        FROM unnest(${metrics}::text[], ${numbers}::float8[]) AS r(metric, value)
        ON CONFLICT ("deviceId", "metric") DO UPDATE SET "value" = EXCLUDED."value", "at" = EXCLUDED."at"
        WHERE m."at" <= EXCLUDED."at"`,
    ]);
  try {
    await write();
  } catch (error) {
    if (!isMissingPartition(error)) throw error;
    await ensureSamplePartitions(db, [at]);
    await write();
  }
}
