import type { Db } from "@beacon/db";
import {
  classifyOpticalLevel,
  GPON_CLASS_B_PLUS,
  type OpticalClass,
  type OpticalThresholds,
} from "./optical-levels.ts";

export interface OpticalDistribution {
  tenantId: string;
  at: Date;
  thresholds: OpticalThresholds;
  /** Devices below the domain with a received-power reading, fresh or not. */
  devices: number;
  /** Devices per class, by their latest reading; "stale" ones have no reading within staleAfterHours. */
  classes: Record<OpticalClass | "stale", number>;
  /** Fresh readings in 1 dB steps: fromDbm <= level < fromDbm + 1. */
  histogram: { fromDbm: number; devices: number }[];
  percentiles: { p5: number; p50: number; p95: number } | null;
}

/**
 * The received optical power of every ONT in a domain and below, for the dashboard: how many are fine, weak,
 * failing or overloaded, and the spread.
 */
export async function opticalDistribution(
  db: Db,
  tenantId: string,
  options: { now?: Date; staleAfterHours?: number; thresholds?: OpticalThresholds } = {},
): Promise<OpticalDistribution> {
  const now = options.now ?? new Date();
  const t = options.thresholds ?? GPON_CLASS_B_PLUS;
  const freshSince = new Date(now.getTime() - (options.staleAfterHours ?? 24) * 3_600_000);
  const [summary] = await db.$queryRaw<
    {
      devices: number;
      stale: number;
      noSignal: number;
      overload: number;
      good: number;
      warning: number;
      critical: number;
      p5: number | null;
      p50: number | null;
      p95: number | null;
    }[]
  >`
    WITH latest AS (
      SELECT m."value", m."at" >= ${freshSince}::timestamptz AS fresh
      FROM "DeviceMetric" m
      JOIN "Device" d ON d."id" = m."deviceId"
      JOIN "Tenant" t ON t."id" = d."tenantId"
      WHERE m."metric" = 'optical.rxPower' AND t."ancestorIds" @> ARRAY[${tenantId}::uuid]
    )
    SELECT count(*)::int AS "devices",
      count(*) FILTER (WHERE NOT fresh)::int AS "stale",
      count(*) FILTER (WHERE fresh AND "value" IS NULL)::int AS "noSignal",
      count(*) FILTER (WHERE fresh AND "value" > ${t.overload}::float8)::int AS "overload",
      count(*) FILTER (WHERE fresh AND "value" <= ${t.overload}::float8 AND "value" > ${t.warning}::float8)::int AS "good",
      count(*) FILTER (WHERE fresh AND "value" <= ${t.warning}::float8 AND "value" >= ${t.critical}::float8)::int AS "warning",
      count(*) FILTER (WHERE fresh AND "value" < ${t.critical}::float8)::int AS "critical",
      percentile_cont(0.05) WITHIN GROUP (ORDER BY "value") FILTER (WHERE fresh) AS "p5",
      percentile_cont(0.5) WITHIN GROUP (ORDER BY "value") FILTER (WHERE fresh) AS "p50",
      percentile_cont(0.95) WITHIN GROUP (ORDER BY "value") FILTER (WHERE fresh) AS "p95"
    FROM latest`;
  const histogram = await db.$queryRaw<{ fromDbm: number; devices: number }[]>`
    SELECT floor(m."value")::int AS "fromDbm", count(*)::int AS "devices"
    FROM "DeviceMetric" m
    JOIN "Device" d ON d."id" = m."deviceId"
    JOIN "Tenant" t ON t."id" = d."tenantId"
    WHERE m."metric" = 'optical.rxPower' AND t."ancestorIds" @> ARRAY[${tenantId}::uuid]
      AND m."at" >= ${freshSince}::timestamptz AND m."value" IS NOT NULL
    GROUP BY 1 ORDER BY 1`;
  const s = summary!;
  const round = (v: number) => Math.round(v * 100) / 100;
  return {
    tenantId,
    at: now,
    thresholds: t,
    devices: s.devices,
    classes: {
      good: s.good,
      warning: s.warning,
      critical: s.critical,
      overload: s.overload,
      noSignal: s.noSignal,
      stale: s.stale,
    },
    histogram,
    percentiles: s.p50 === null ? null : { p5: round(s.p5!), p50: round(s.p50), p95: round(s.p95!) },
  };
}

export interface SiteOpticalDistribution {
  /** The domain itself (its own devices) or one of the domains right below it, with all of theirs. */
  tenantId: string;
  name: string;
  kind: string;
  /** Devices with a received-power reading, fresh or not. */
  devices: number;
  classes: Record<OpticalClass | "stale", number>;
  /** Fresh readings in 1 dB steps. */
  histogram: { fromDbm: number; devices: number }[];
  median: number | null;
}

/**
 * The same spread per site: for the domain's own devices and for each domain right below it (a hotel, a
 * customer), sites without any ONT reading left out; the worst first (most critical, then weak).
 */
export async function opticalDistributionBySite(
  db: Db,
  tenantId: string,
  options: { now?: Date; staleAfterHours?: number; thresholds?: OpticalThresholds } = {},
): Promise<{ thresholds: OpticalThresholds; sites: SiteOpticalDistribution[] }> {
  const now = options.now ?? new Date();
  const t = options.thresholds ?? GPON_CLASS_B_PLUS;
  const freshSince = new Date(now.getTime() - (options.staleAfterHours ?? 24) * 3_600_000);
  const rows = await db.$queryRaw<{ siteId: string; value: number | null; fresh: boolean }[]>`
    SELECT COALESCE(t."ancestorIds"[array_position(t."ancestorIds", ${tenantId}::uuid) + 1], ${tenantId}::uuid)::text
        AS "siteId",
      m."value", m."at" >= ${freshSince}::timestamptz AS "fresh"
    FROM "DeviceMetric" m
    JOIN "Device" d ON d."id" = m."deviceId"
    JOIN "Tenant" t ON t."id" = d."tenantId"
    WHERE m."metric" = 'optical.rxPower' AND t."ancestorIds" @> ARRAY[${tenantId}::uuid]`;
  const bySite = new Map<string, { value: number | null; fresh: boolean }[]>();
  for (const r of rows) bySite.set(r.siteId, [...(bySite.get(r.siteId) ?? []), r]);
  const tenants = await db.tenant.findMany({
    where: { id: { in: [...bySite.keys()] } },
    select: { id: true, name: true, kind: true },
  });
  const sites = tenants.map((tenant): SiteOpticalDistribution => {
    const readings = bySite.get(tenant.id) ?? [];
    const fresh = readings.filter((r) => r.fresh);
    const values = fresh.map((r) => r.value).filter((v): v is number => v !== null);
    const classes: SiteOpticalDistribution["classes"] = {
      good: 0,
      warning: 0,
      critical: 0,
      overload: 0,
      noSignal: 0,
      stale: readings.length - fresh.length,
    };
    for (const r of fresh) classes[classifyOpticalLevel(r.value, t)] += 1;
    const steps = new Map<number, number>();
    for (const v of values) steps.set(Math.floor(v), (steps.get(Math.floor(v)) ?? 0) + 1);
    const sorted = [...values].sort((a, b) => a - b);
    const mid = sorted.length / 2;
    const median = sorted.length
      ? Math.round((sorted.length % 2 ? sorted[Math.floor(mid)]! : (sorted[mid - 1]! + sorted[mid]!) / 2) * 100) / 100
      : null;
    return {
      tenantId: tenant.id,
      name: tenant.name,
      kind: tenant.kind,
      devices: readings.length,
      classes,
      histogram: [...steps].sort(([a], [b]) => a - b).map(([fromDbm, devices]) => ({ fromDbm, devices })),
      median,
    };
  });
  sites.sort(
    (a, b) =>
      b.classes.critical + b.classes.noSignal - (a.classes.critical + a.classes.noSignal) ||
      b.classes.warning - a.classes.warning ||
      a.name.localeCompare(b.name),
  );
  return { thresholds: t, sites };
}
