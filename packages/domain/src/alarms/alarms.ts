import type { Alarm, Db, Prisma } from "@beacon/db";
import { z } from "zod";
import { recordAudit } from "../audit/record-audit.ts";
import { NotFound } from "../errors.ts";
import { recordDomainEvent } from "./domain-events.ts";

export const AlarmFilter = z.object({
  /** Alarms of devices in this domain and below. */
  tenantId: z.uuid(),
  deviceId: z.uuid().optional(),
  /** Default: active alarms only. */
  state: z.enum(["active", "cleared", "any"]).default("active"),
  severities: z.array(z.enum(["warning", "minor", "major", "critical"])).optional(),
  types: z.array(z.string()).optional(),
  acknowledged: z.boolean().optional(),
  /** Raised at or after. */
  since: z.coerce.date().optional(),
  limit: z.number().int().min(1).max(1000).default(100),
});
export type AlarmFilter = z.input<typeof AlarmFilter>;

export type AlarmListItem = Alarm & {
  device: { serialNumber: string; productClass: string; manufacturer: string; tenantId: string };
};

function alarmWhere(f: z.output<typeof AlarmFilter>): Prisma.AlarmWhereInput {
  return {
    tenant: { ancestorIds: { has: f.tenantId } },
    ...(f.deviceId ? { deviceId: f.deviceId } : {}),
    ...(f.state === "any" ? {} : { state: f.state }),
    ...(f.severities?.length ? { severity: { in: f.severities } } : {}),
    ...(f.types?.length ? { type: { in: f.types } } : {}),
    ...(f.acknowledged === undefined ? {} : { acknowledgedAt: f.acknowledged ? { not: null } : null }),
    ...(f.since ? { raisedAt: { gte: f.since } } : {}),
  };
}

const ALARM_INCLUDE = {
  device: { select: { serialNumber: true, productClass: true, manufacturer: true, tenantId: true } },
} as const;
// AlarmSeverity sorts as declared (warning < minor < major < critical), so "desc" puts critical first.
const ALARM_ORDER: Prisma.AlarmOrderByWithRelationInput[] = [{ severity: "desc" }, { raisedAt: "desc" }, { id: "asc" }];

/** Alarms, most severe first, then newest first. */
export async function listAlarms(db: Db, filters: AlarmFilter): Promise<AlarmListItem[]> {
  const f = AlarmFilter.parse(filters);
  return db.alarm.findMany({ where: alarmWhere(f), include: ALARM_INCLUDE, orderBy: ALARM_ORDER, take: f.limit });
}

export const AlarmPageQuery = AlarmFilter.omit({ limit: true }).extend({
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(200).default(50),
});
export type AlarmPageQuery = z.input<typeof AlarmPageQuery>;

/** One page of alarms in the order of listAlarms, with the count of all that match. */
export async function listAlarmPage(
  db: Db,
  query: AlarmPageQuery,
): Promise<{ rows: AlarmListItem[]; total: number; page: number; pageSize: number }> {
  const q = AlarmPageQuery.parse(query);
  const where = alarmWhere({ ...q, limit: q.pageSize });
  const [total, rows] = await Promise.all([
    db.alarm.count({ where }),
    db.alarm.findMany({
      where,
      include: ALARM_INCLUDE,
      orderBy: ALARM_ORDER,
      skip: (q.page - 1) * q.pageSize,
      take: q.pageSize,
    }),
  ]);
  return { rows, total, page: q.page, pageSize: q.pageSize };
}

/** Someone has seen the alarm and is on it; it stays active until its condition clears. */
export async function acknowledgeAlarm(
  db: Db,
  alarmId: string,
  actor: { id?: string | null; label: string },
  now: Date = new Date(),
): Promise<Alarm> {
  const alarm = await db.alarm.findUnique({ where: { id: alarmId } });
  if (!alarm) throw new NotFound("alarm");
  if (alarm.acknowledgedAt) return alarm;
  return db.$transaction(async (tx) => {
    const acknowledged = await tx.alarm.update({
      where: { id: alarmId },
      data: { acknowledgedAt: now, acknowledgedBy: actor.label },
    });
    await recordAudit(tx, {
      tenantId: alarm.tenantId,
      actorId: actor.id,
      actorLabel: actor.label,
      action: "alarm.acknowledge",
      targetType: "alarm",
      targetId: alarm.id,
      deviceId: alarm.deviceId,
    });
    await recordDomainEvent(tx, {
      tenantId: alarm.tenantId,
      type: "alarm.acknowledged",
      deviceId: alarm.deviceId,
      subjectType: "alarm",
      subjectId: alarm.id,
      payload: { type: alarm.type, severity: alarm.severity, by: actor.label },
    });
    return acknowledged;
  });
}
