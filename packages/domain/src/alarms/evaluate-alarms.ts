import type { Alarm, Db, Prisma } from "@beacon/db";
import { REENROLL_ALARM } from "../cpe-auth/reenrollment.ts";
import { NotFound } from "../errors.ts";
import type { MetricName } from "../monitoring/metrics.ts";
import { type AlarmFacts, type AlarmVerdict, judgeAlarm } from "./alarm-conditions.ts";
import { ALARM_TYPES, type AlarmType, type EffectiveAlarmRules, effectiveAlarmRules } from "./alarm-rules.ts";
import { recordDomainEvent } from "./domain-events.ts";
import { EVENT_ALARM_TYPES } from "./event-alarms.ts";

type Tx = Prisma.TransactionClient;

export interface AlarmChanges {
  raised: Alarm[];
  /** Active alarms whose severity changed. */
  changed: Alarm[];
  cleared: Alarm[];
}

const activeKey = (deviceId: string, type: string) => `${deviceId}/${type}`;

/**
 * Judges every alarm type for a device against its latest readings, Informs, reboots and faults, and raises,
 * changes or clears its Alarm rows, each with a DomainEvent. Call it after new readings (recordSamples) and
 * from the monitoring scheduler, which catches devices that went silent.
 */
export async function evaluateAlarms(db: Db, deviceId: string, now: Date = new Date()): Promise<AlarmChanges> {
  const device = await db.device.findUnique({
    where: { id: deviceId },
    select: {
      id: true,
      tenantId: true,
      productClass: true,
      lastInformAt: true,
      periodicInformInterval: true,
      tenant: { select: { ancestorIds: true } },
    },
  });
  if (!device) throw new NotFound("device");
  const rules = await effectiveAlarmRules(db, {
    ancestorIds: device.tenant.ancestorIds,
    productClass: device.productClass,
  });
  const facts = await readFacts(db, device, rules, now);
  return db.$transaction(async (tx) => {
    const active = await tx.alarm.findMany({ where: { deviceId, state: "active" } });
    const byType = new Map(active.map((a) => [a.type, a]));
    const changes: AlarmChanges = { raised: [], changed: [], cleared: [] };
    for (const type of ALARM_TYPES) {
      const current = byType.get(type) ?? null;
      const rule = rules[type];
      const verdict = rule.enabled ? judgeAlarm(type, rule.settings, facts, current) : null;
      await settle(tx, { device, type, current, verdict, now }, changes);
    }
    // Alarms of types Beacon no longer knows clear too; those raised by other parts of Beacon are theirs to clear
    // (a re-enrollment request clears when the device re-enrolls).
    for (const alarm of active) {
      if (
        !(ALARM_TYPES as string[]).includes(alarm.type) &&
        alarm.type !== REENROLL_ALARM &&
        !EVENT_ALARM_TYPES.has(alarm.type)
      ) {
        await settle(tx, { device, type: alarm.type, current: alarm, verdict: null, now }, changes);
      }
    }
    return changes;
  });
}

async function readFacts(
  db: Db,
  device: { id: string; lastInformAt: Date | null; periodicInformInterval: number | null },
  rules: EffectiveAlarmRules,
  now: Date,
): Promise<AlarmFacts> {
  const since = (hours: number) => new Date(now.getTime() - hours * 3_600_000);
  const [metrics, boots, faults] = await Promise.all([
    db.deviceMetric.findMany({ where: { deviceId: device.id }, select: { metric: true, value: true, at: true } }),
    rules["device.reboots"].enabled
      ? db.deviceEvent.count({
          where: {
            deviceId: device.id,
            code: "1 BOOT",
            at: { gt: since(rules["device.reboots"].settings.windowHours) },
          },
        })
      : 0,
    rules["device.faults"].enabled
      ? db.task.count({
          where: {
            deviceId: device.id,
            state: "fault",
            faultCode: { not: null },
            finishedAt: { gt: since(rules["device.faults"].settings.windowHours) },
          },
        })
      : 0,
  ]);
  return {
    now,
    metrics: new Map(metrics.map((m) => [m.metric as MetricName, { value: m.value, at: m.at }])),
    lastInformAt: device.lastInformAt,
    periodicInformInterval: device.periodicInformInterval,
    boots,
    faults,
  };
}

interface Judgement {
  device: { id: string; tenantId: string };
  type: AlarmType | string;
  current: Alarm | null;
  verdict: AlarmVerdict | null;
  now: Date;
}

async function settle(tx: Tx, j: Judgement, changes: AlarmChanges): Promise<void> {
  const { device, type, current, verdict, now } = j;
  const event = (alarm: Alarm, eventType: "alarm.raised" | "alarm.changed" | "alarm.cleared", extra = {}) =>
    recordDomainEvent(tx, {
      tenantId: alarm.tenantId,
      type: eventType,
      deviceId: alarm.deviceId,
      subjectType: "alarm",
      subjectId: alarm.id,
      payload: { type: alarm.type, severity: alarm.severity, message: alarm.message, value: alarm.value, ...extra },
    });
  if (!current && verdict) {
    // The unique activeKey makes a second evaluation racing this one skip instead of raising twice.
    const inserted = await tx.alarm.createManyAndReturn({
      data: [
        {
          tenantId: device.tenantId,
          deviceId: device.id,
          type,
          severity: verdict.severity,
          activeKey: activeKey(device.id, type),
          message: verdict.message,
          value: verdict.value,
          raisedAt: now,
          changedAt: now,
        },
      ],
      skipDuplicates: true,
    });
    for (const alarm of inserted) {
      await event(alarm, "alarm.raised");
      changes.raised.push(alarm);
    }
    return;
  }
  if (current && !verdict) {
    const cleared = await tx.alarm.update({
      where: { id: current.id },
      data: { state: "cleared", activeKey: null, clearedAt: now, changedAt: now },
    });
    await event(cleared, "alarm.cleared");
    changes.cleared.push(cleared);
    return;
  }
  if (current && verdict && current.severity !== verdict.severity) {
    const changed = await tx.alarm.update({
      where: { id: current.id },
      data: { severity: verdict.severity, message: verdict.message, value: verdict.value, changedAt: now },
    });
    await event(changed, "alarm.changed", { previousSeverity: current.severity });
    changes.changed.push(changed);
    return;
  }
  if (current && verdict && (current.message !== verdict.message || current.value !== verdict.value)) {
    // Same severity: keep the reading and words current, without an event.
    await tx.alarm.update({ where: { id: current.id }, data: { message: verdict.message, value: verdict.value } });
  }
}
