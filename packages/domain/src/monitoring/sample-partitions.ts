import type { Prisma } from "@beacon/db";

type Sql = Pick<Prisma.TransactionClient, "$queryRaw">;

/**
 * MetricSample is partitioned by UTC day (migration 20261124110000_firmware_monitoring); the SQL function
 * maintain_metric_sample_partitions creates and drops the partitions. These wrappers say which days.
 */

/** Days of samples kept: a 30-day chart and a few days of slack. */
export const SAMPLE_RETENTION_DAYS = 35;
/** Partitions made in advance, so that inserts never wait for one. */
export const PARTITION_DAYS_AHEAD = 7;

const DAY_MS = 86_400_000;

function utcDay(at: Date, offsetDays = 0): string {
  return new Date(at.getTime() + offsetDays * DAY_MS).toISOString().slice(0, 10);
}

export interface PartitionMaintenance {
  created: number;
  dropped: number;
}

/** Creates the partitions of the coming days and drops those older than the retention period. */
export async function maintainSamplePartitions(
  sql: Sql,
  options: { now: Date; retentionDays?: number; daysAhead?: number },
): Promise<PartitionMaintenance> {
  const retention = options.retentionDays ?? SAMPLE_RETENTION_DAYS;
  const rows = await sql.$queryRaw<PartitionMaintenance[]>`
    SELECT "created", "dropped" FROM "maintain_metric_sample_partitions"(
      ${utcDay(options.now, -1)}::date, ${utcDay(options.now, options.daysAhead ?? PARTITION_DAYS_AHEAD)}::date,
      ${utcDay(options.now, -retention)}::date)`;
  return rows[0] ?? { created: 0, dropped: 0 };
}

/** Makes sure samples taken at these times have a partition (late or back-dated samples). */
export async function ensureSamplePartitions(sql: Sql, times: readonly Date[]): Promise<void> {
  if (!times.length) return;
  const ms = times.map((t) => t.getTime());
  const from = utcDay(new Date(Math.min(...ms)));
  const to = utcDay(new Date(Math.max(...ms)));
  await sql.$queryRaw`SELECT "created" FROM "maintain_metric_sample_partitions"(${from}::date, ${to}::date, NULL)`;
}

/** PostgreSQL 23514 "no partition of relation ... found for row", as Prisma passes it on. */
export function isMissingPartition(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (/no partition of relation/i.test(e.message)) return true;
  }
  return false;
}
