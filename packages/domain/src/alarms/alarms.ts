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

/** Alarms, most severe first, then newest first. */
export async function listAlarms(db: Db, filters: AlarmFilter): Promise<AlarmListItem[]> {
  const f = AlarmFilter.parse(filters);
  const where: Prisma.AlarmWhereInput = {
    tenant: { ancestorIds: { has: f.tenantId } },
    ...(f.deviceId ? { deviceId: f.deviceId } : {}),
    ...(f.state === "any" ? {} : { state: f.state }),
    ...(f.severities?.length ? { severity: { in: f.severities } } : {}),
    ...(f.types?.length ? { type: { in: f.types } } : {}),
    ...(f.acknowledged === undefined ? {} : { acknowledgedAt: f.acknowledged ? { not: null } : null }),
    ...(f.since ? { raisedAt: { gte: f.since } } : {}),
  };
  // AlarmSeverity sorts as declared (warning < minor < major < critical), so "desc" puts critical first.
  return db.alarm.findMany({
    where,
    include: { device: { select: { serialNumber: true, productClass: true, manufacturer: true, tenantId: true } } },
    orderBy: [{ severity: "desc" }, { raisedAt: "desc" }],
    take: f.limit,
  });
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
