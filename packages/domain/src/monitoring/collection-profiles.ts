import type { Db, MonitoringProfile } from "@beacon/db";
import { z } from "zod";
import { recordAudit } from "../audit/record-audit.ts";
import { Invalid, NotFound } from "../errors.ts";
import { createTask } from "../tasks/create-task.ts";
import { METRIC_NAMES, type MetricName } from "./metrics.ts";
import {
  loadMonitoringMappings,
  type MonitoringMappingSet,
  type ResolvedMonitoring,
  resolveMonitoring,
  sourceCovers,
  sourcePrefix,
} from "./monitoring-mappings.ts";

/**
 * Collection profiles: which metrics to keep for a model (or every model) in a domain and below, and how
 * often. For a device the most specific profile wins: the deepest domain, then one naming its product class.
 * Readings that arrive with Informs count; queueMetricCollection asks with getParameterValues for what is
 * older than the profile's interval.
 */

export const MonitoringProfileInput = z.object({
  tenantId: z.uuid(),
  name: z.string().trim().min(1).max(100),
  productClass: z.string().trim().default(""),
  metrics: z.array(z.enum(METRIC_NAMES as [MetricName, ...MetricName[]])).min(1),
  intervalSeconds: z
    .number()
    .int()
    .min(60)
    .max(7 * 86_400)
    .default(900),
  enabled: z.boolean().default(true),
});
export type MonitoringProfileInput = z.input<typeof MonitoringProfileInput>;

/** Creates or replaces the domain's profile of that name. */
export async function saveMonitoringProfile(
  db: Db,
  input: MonitoringProfileInput,
  actor: { id?: string | null; label: string },
): Promise<MonitoringProfile> {
  const parsed = MonitoringProfileInput.safeParse(input);
  if (!parsed.success) throw new Invalid(`monitoring profile: ${parsed.error.issues[0]!.message}`);
  const p = parsed.data;
  if (!(await db.tenant.findUnique({ where: { id: p.tenantId }, select: { id: true } }))) throw new NotFound("domain");
  const data = {
    productClass: p.productClass,
    metrics: [...new Set(p.metrics)],
    intervalSeconds: p.intervalSeconds,
    enabled: p.enabled,
  };
  return db.$transaction(async (tx) => {
    const profile = await tx.monitoringProfile.upsert({
      where: { tenantId_name: { tenantId: p.tenantId, name: p.name } },
      create: { tenantId: p.tenantId, name: p.name, ...data },
      update: data,
    });
    await recordAudit(tx, {
      tenantId: p.tenantId,
      actorId: actor.id,
      actorLabel: actor.label,
      action: "monitoringProfile.save",
      targetType: "monitoringProfile",
      targetId: profile.id,
      after: { name: p.name, ...data },
    });
    return profile;
  });
}

/** The profiles that apply in a domain: its own and those it inherits, nearest domain first. */
export async function listMonitoringProfiles(
  db: Db,
  tenantId: string,
): Promise<(MonitoringProfile & { inherited: boolean })[]> {
  const tenant = await db.tenant.findUnique({ where: { id: tenantId }, select: { ancestorIds: true } });
  if (!tenant) throw new NotFound("domain");
  const profiles = await db.monitoringProfile.findMany({ where: { tenantId: { in: tenant.ancestorIds } } });
  const depth = (id: string) => tenant.ancestorIds.indexOf(id);
  return profiles
    .sort((a, b) => depth(b.tenantId) - depth(a.tenantId) || a.name.localeCompare(b.name))
    .map((p) => ({ ...p, inherited: p.tenantId !== tenantId }));
}

/** The profile that decides for one device, or null when none applies (or the deciding one is disabled). */
export async function effectiveMonitoringProfile(db: Db, deviceId: string): Promise<MonitoringProfile | null> {
  const device = await db.device.findUnique({
    where: { id: deviceId },
    select: { productClass: true, tenant: { select: { ancestorIds: true } } },
  });
  if (!device) throw new NotFound("device");
  const ancestors = device.tenant.ancestorIds;
  const profiles = await db.monitoringProfile.findMany({
    where: { tenantId: { in: ancestors }, productClass: { in: ["", device.productClass] } },
  });
  const depth = (id: string) => ancestors.indexOf(id);
  profiles.sort(
    (a, b) =>
      depth(b.tenantId) - depth(a.tenantId) ||
      b.productClass.length - a.productClass.length ||
      a.name.localeCompare(b.name),
  );
  const decisive = profiles[0] ?? null;
  return decisive?.enabled ? decisive : null;
}

export const MONITORING_ACTOR = { label: "monitoring" } as const;

/**
 * The parameter names to read for `metrics` on a device: for each metric, the first source whose parameters
 * the device is known to have ("*" sources expanded to the instances it has). Unknown paths are never asked
 * for: one wrong name fails a whole GetParameterValues (fault 9005).
 */
export function collectionNames(
  resolved: ResolvedMonitoring,
  metrics: readonly MetricName[],
  knownNames: ReadonlySet<string>,
): string[] {
  const names = new Set<string>();
  for (const metric of metrics) {
    for (const source of resolved.metrics.get(metric) ?? []) {
      const found = source.pattern
        ? [...knownNames].filter((n) => sourceCovers(source, n))
        : knownNames.has(source.path)
          ? [source.path]
          : [];
      if (!found.length) continue;
      for (const n of found) names.add(n);
      break;
    }
  }
  return [...names].sort();
}

interface DueDevice {
  id: string;
  dataModelRoot: string | null;
  manufacturer: string;
  oui: string;
  productClass: string;
  modelName: string | null;
  metrics: string[];
  intervalSeconds: number;
}

/**
 * Queues a getParameterValues task (created by "monitoring", expiring after one interval) for devices whose
 * profile's metrics have no reading within the interval. Devices that already have such a task queued are
 * left alone. Called by the monitoring scheduler.
 */
export async function queueMetricCollection(
  db: Db,
  now: Date = new Date(),
  options: { limit?: number; mappings?: MonitoringMappingSet } = {},
): Promise<{ queued: number; devices: number }> {
  const limit = options.limit ?? 500;
  // The deciding profile per device, as effectiveMonitoringProfile picks it, then the devices with a stale metric.
  const due = await db.$queryRaw<DueDevice[]>`
    SELECT d."id", d."dataModelRoot", d."manufacturer", d."oui", d."productClass", d."modelName",
      p."metrics", p."intervalSeconds"
    FROM "Device" d
    JOIN "Tenant" t ON t."id" = d."tenantId"
    CROSS JOIN LATERAL (
      SELECT mp.* FROM "MonitoringProfile" mp
      WHERE t."ancestorIds" @> ARRAY[mp."tenantId"] AND mp."productClass" IN ('', d."productClass")
      ORDER BY array_position(t."ancestorIds", mp."tenantId") DESC, length(mp."productClass") DESC, mp."name"
      LIMIT 1
    ) p
    WHERE p."enabled" AND d."lastInformAt" IS NOT NULL
      AND EXISTS (
        SELECT 1 FROM unnest(p."metrics") AS pm(metric)
        WHERE NOT EXISTS (
          SELECT 1 FROM "DeviceMetric" m
          WHERE m."deviceId" = d."id" AND m."metric" = pm.metric
            AND m."at" > ${now}::timestamptz - make_interval(secs => p."intervalSeconds")))
      AND NOT EXISTS (
        SELECT 1 FROM "Task" k
        WHERE k."deviceId" = d."id" AND k."state" IN ('pending', 'running') AND k."createdBy" = ${MONITORING_ACTOR.label}
          AND k."kind" = 'getParameterValues')
    ORDER BY random()
    LIMIT ${limit}::int`;
  if (!due.length) return { queued: 0, devices: 0 };
  const mappings = options.mappings ?? loadMonitoringMappings();
  const prefixes = [...new Set(mappings.files.flatMap((f) => f.sources.map(sourcePrefix)))];
  // LIKE's "_" matches any character too: a few names too many, filtered out by collectionNames.
  const known = await db.$queryRaw<{ deviceId: string; name: string }[]>`
    SELECT "deviceId", "name" FROM "DeviceParameter"
    WHERE "deviceId" = ANY(${due.map((d) => d.id)}::uuid[]) AND "name" LIKE ANY(${prefixes.map((p) => `${p}%`)}::text[])`;
  const knownBy = new Map<string, Set<string>>();
  for (const k of known) knownBy.set(k.deviceId, (knownBy.get(k.deviceId) ?? new Set()).add(k.name));
  const fresh = await db.deviceMetric.findMany({
    where: { deviceId: { in: due.map((d) => d.id) } },
    select: { deviceId: true, metric: true, at: true },
  });
  let queued = 0;
  for (const device of due) {
    const resolved = resolveMonitoring(mappings, device);
    if (!resolved) continue;
    const freshSince = now.getTime() - device.intervalSeconds * 1000;
    const stale = device.metrics.filter(
      (m) => !fresh.some((f) => f.deviceId === device.id && f.metric === m && f.at.getTime() > freshSince),
    ) as MetricName[];
    const names = collectionNames(resolved, stale, knownBy.get(device.id) ?? new Set());
    if (!names.length) continue;
    await createTask(
      db,
      {
        deviceId: device.id,
        kind: "getParameterValues",
        args: { names },
        expiresAt: new Date(now.getTime() + device.intervalSeconds * 1000),
        notBefore: now,
      },
      MONITORING_ACTOR,
    );
    queued += 1;
  }
  return { queued, devices: due.length };
}
