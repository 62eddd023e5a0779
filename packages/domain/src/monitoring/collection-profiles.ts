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

/**
 * What Beacon collects when no profile of the domain or above names the model: the fibre and the WiFi, every
 * 15 minutes. A domain overrides it with a profile of its own (or turns collection off with a disabled one).
 */
export const DEFAULT_MONITORING_PROFILE = {
  name: "Beacon default",
  productClass: "",
  metrics: [
    "optical.rxPower",
    "optical.txPower",
    "optical.temperature",
    "wifi.clients",
    "device.uptime",
  ] as MetricName[],
  intervalSeconds: 900,
  enabled: true,
} as const;

export interface EffectiveMonitoringProfile {
  /** Null for Beacon's built-in default. */
  id: string | null;
  tenantId: string | null;
  name: string;
  productClass: string;
  metrics: MetricName[];
  intervalSeconds: number;
  builtIn: boolean;
}

const builtIn = (): EffectiveMonitoringProfile => ({
  id: null,
  tenantId: null,
  ...DEFAULT_MONITORING_PROFILE,
  metrics: [...DEFAULT_MONITORING_PROFILE.metrics],
  builtIn: true,
});

/**
 * The profile that decides for one device: the deepest domain's, one naming its product class before one for
 * every model; Beacon's default when none applies; null when the deciding one is disabled.
 */
export async function effectiveMonitoringProfile(db: Db, deviceId: string): Promise<EffectiveMonitoringProfile | null> {
  const device = await db.device.findUnique({
    where: { id: deviceId },
    select: { productClass: true, tenant: { select: { ancestorIds: true } } },
  });
  if (!device) throw new NotFound("device");
  return decidingProfile(
    await db.monitoringProfile.findMany({
      where: { tenantId: { in: device.tenant.ancestorIds }, productClass: { in: ["", device.productClass] } },
    }),
    device.tenant.ancestorIds,
  );
}

/** Among the profiles of a device's domains (and its model or every model), the one that decides. */
export function decidingProfile(
  profiles: readonly MonitoringProfile[],
  ancestorIds: readonly string[],
): EffectiveMonitoringProfile | null {
  const depth = (id: string) => ancestorIds.indexOf(id);
  const sorted = [...profiles].sort(
    (a, b) =>
      depth(b.tenantId) - depth(a.tenantId) ||
      b.productClass.length - a.productClass.length ||
      a.name.localeCompare(b.name),
  );
  const decisive = sorted[0];
  if (!decisive) return builtIn();
  if (!decisive.enabled) return null;
  return {
    id: decisive.id,
    tenantId: decisive.tenantId,
    name: decisive.name,
    productClass: decisive.productClass,
    metrics: decisive.metrics.filter((m): m is MetricName => (METRIC_NAMES as string[]).includes(m)),
    intervalSeconds: decisive.intervalSeconds,
    builtIn: false,
  };
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
  /** Whether "monitoring" already read the device's whole tree once to learn where its metrics are. */
  discovered: boolean;
}

export interface QueueCollectionOptions {
  limit?: number;
  mappings?: MonitoringMappingSet;
  /** Only this device (a session's Inform): its stale metrics are read in that same session. */
  deviceId?: string;
}

/**
 * Queues, for devices whose profile (Beacon's default when none applies) has metrics without a reading within
 * its interval, the read that brings them: a getParameterValues task of the paths the device is known to have,
 * created by "monitoring" and expiring after one interval. A device whose mapped paths Beacon has never seen
 * gets one refresh of its whole tree instead (once, and not when a read of the whole tree is already queued or done
 * by someone else: GetParameterNames tells which vendor path it really has,
 * asking for one it lacks would fail the whole read with 9005); its values are recorded like any other read.
 * Devices that already have such a task queued are left alone. Called by the monitoring scheduler, and for one
 * device at each of its Informs (collectOnInform).
 */
export async function queueMetricCollection(
  db: Db,
  now: Date = new Date(),
  options: QueueCollectionOptions = {},
): Promise<{ queued: number; devices: number; taskIds: string[] }> {
  const limit = options.limit ?? 500;
  const only = options.deviceId ?? null;
  const defaults = DEFAULT_MONITORING_PROFILE;
  // The deciding profile per device, as effectiveMonitoringProfile picks it (the default when there is none),
  // then the devices with a stale metric.
  const due = await db.$queryRaw<DueDevice[]>`
    SELECT d."id", d."dataModelRoot", d."manufacturer", d."oui", d."productClass", d."modelName",
      COALESCE(p."metrics", ${[...defaults.metrics]}::text[]) AS "metrics",
      COALESCE(p."intervalSeconds", ${defaults.intervalSeconds}::int) AS "intervalSeconds",
      EXISTS (
        SELECT 1 FROM "Task" r
        WHERE r."deviceId" = d."id" AND r."kind" = 'refresh'
          AND (r."createdBy" = ${MONITORING_ACTOR.label}
            -- Someone else's read of the whole tree, queued or done, teaches Beacon the paths just as well.
            OR (r."state" IN ('pending', 'running', 'done')
              AND COALESCE(r."args"->>'path', '') IN ('', d."dataModelRoot" || '.')))
      ) AS "discovered"
    FROM "Device" d
    JOIN "Tenant" t ON t."id" = d."tenantId"
    LEFT JOIN LATERAL (
      SELECT mp.* FROM "MonitoringProfile" mp
      WHERE t."ancestorIds" @> ARRAY[mp."tenantId"] AND mp."productClass" IN ('', d."productClass")
      ORDER BY array_position(t."ancestorIds", mp."tenantId") DESC, length(mp."productClass") DESC, mp."name"
      LIMIT 1
    ) p ON true
    WHERE COALESCE(p."enabled", true) AND d."lastInformAt" IS NOT NULL AND d."dataModelRoot" IS NOT NULL
      AND (${only}::uuid IS NULL OR d."id" = ${only}::uuid)
      AND EXISTS (
        SELECT 1 FROM unnest(COALESCE(p."metrics", ${[...defaults.metrics]}::text[])) AS pm(metric)
        WHERE NOT EXISTS (
          SELECT 1 FROM "DeviceMetric" m
          WHERE m."deviceId" = d."id" AND m."metric" = pm.metric
            AND m."at" > ${now}::timestamptz
              - make_interval(secs => COALESCE(p."intervalSeconds", ${defaults.intervalSeconds}::int))))
      AND NOT EXISTS (
        SELECT 1 FROM "Task" k
        WHERE k."deviceId" = d."id" AND k."state" IN ('pending', 'running') AND k."createdBy" = ${MONITORING_ACTOR.label}
          AND k."kind" IN ('getParameterValues', 'refresh'))
    ORDER BY random()
    LIMIT ${limit}::int`;
  if (!due.length) return { queued: 0, devices: 0, taskIds: [] };
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
  const taskIds: string[] = [];
  for (const device of due) {
    const resolved = resolveMonitoring(mappings, device);
    if (!resolved) continue;
    const freshSince = now.getTime() - device.intervalSeconds * 1000;
    const stale = device.metrics.filter(
      (m) => !fresh.some((f) => f.deviceId === device.id && f.metric === m && f.at.getTime() > freshSince),
    ) as MetricName[];
    const knownNames = knownBy.get(device.id) ?? new Set<string>();
    const names = collectionNames(resolved, stale, knownNames);
    // A metric the mapping knows places for, none of which Beacon has seen on the device: learn its tree once.
    const unknown = stale.some(
      (m) => resolved.metrics.get(m)?.length && collectionNames(resolved, [m], knownNames).length === 0,
    );
    const expiresAt = new Date(now.getTime() + device.intervalSeconds * 1000);
    const task =
      unknown && !device.discovered
        ? { kind: "refresh" as const, args: { path: `${resolved.root}.` } }
        : names.length
          ? { kind: "getParameterValues" as const, args: { names } }
          : null;
    if (!task) continue;
    const created = await createTask(db, { deviceId: device.id, ...task, expiresAt, notBefore: now }, MONITORING_ACTOR);
    taskIds.push(created.id);
  }
  return { queued: taskIds.length, devices: due.length, taskIds };
}

/**
 * SESSION HOOK: at an Inform, queue the reads of the device's stale metrics, so that the session that is
 * starting brings them (no waiting for the scheduler, no connection request).
 */
export function collectOnInform(
  db: Db,
  deviceId: string,
  now: Date,
  mappings?: MonitoringMappingSet,
): Promise<{ queued: number }> {
  return queueMetricCollection(db, now, { deviceId, mappings, limit: 1 });
}

export interface MonitoringOverview {
  /** The profiles that apply in the domain, its own and inherited, nearest domain first. */
  profiles: (MonitoringProfile & { inherited: boolean })[];
  /** What applies where no profile does. */
  builtIn: EffectiveMonitoringProfile;
  /** Each model (product class) with devices in the domain and below, and the profile that decides for it there. */
  models: { productClass: string; devices: number; profile: EffectiveMonitoringProfile | null }[];
}

/** Monitoring profiles as the console shows them: per model, which metrics are read and how often. */
export async function monitoringOverview(db: Db, tenantId: string): Promise<MonitoringOverview> {
  const tenant = await db.tenant.findUnique({ where: { id: tenantId }, select: { ancestorIds: true } });
  if (!tenant) throw new NotFound("domain");
  const [profiles, models] = await Promise.all([
    listMonitoringProfiles(db, tenantId),
    db.device.groupBy({
      by: ["productClass"],
      where: { tenant: { ancestorIds: { has: tenantId } } },
      _count: { _all: true },
      orderBy: { productClass: "asc" },
      take: 200,
    }),
  ]);
  return {
    profiles,
    builtIn: builtIn(),
    models: models.map((m) => ({
      productClass: m.productClass,
      devices: m._count._all,
      profile: decidingProfile(
        profiles.filter((p) => p.productClass === "" || p.productClass === m.productClass),
        tenant.ancestorIds,
      ),
    })),
  };
}
