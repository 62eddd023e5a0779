import type { AlarmSeverity, Prisma } from "@beacon/db";
import { recordDomainEvent } from "./domain-events.ts";

/**
 * Alarms raised by something that happened rather than by a rule over readings (evaluate-alarms.ts): the part
 * of Beacon that raises one clears it. A checkout that left a network with the previous guest's passphrase raises
 * "checkout.incomplete" on the room's device; the room's next complete checkout clears it.
 */
export const EVENT_ALARM_TYPES: ReadonlySet<string> = new Set(["checkout.incomplete"]);

type Tx = Pick<Prisma.TransactionClient, "alarm" | "domainEvent">;

const activeKey = (deviceId: string, type: string) => `${deviceId}/${type}`;

export async function raiseEventAlarm(
  tx: Tx,
  input: { tenantId: string; deviceId: string; type: string; severity: AlarmSeverity; message: string; now: Date },
): Promise<void> {
  const key = activeKey(input.deviceId, input.type);
  const current = await tx.alarm.findUnique({ where: { activeKey: key } });
  if (current) {
    await tx.alarm.update({ where: { id: current.id }, data: { message: input.message, changedAt: input.now } });
    return;
  }
  const inserted = await tx.alarm.createManyAndReturn({
    data: [
      {
        tenantId: input.tenantId,
        deviceId: input.deviceId,
        type: input.type,
        severity: input.severity,
        activeKey: key,
        message: input.message,
        raisedAt: input.now,
        changedAt: input.now,
      },
    ],
    skipDuplicates: true,
  });
  for (const alarm of inserted) {
    await recordDomainEvent(tx, {
      tenantId: alarm.tenantId,
      type: "alarm.raised",
      deviceId: alarm.deviceId,
      subjectType: "alarm",
      subjectId: alarm.id,
      payload: { type: alarm.type, severity: alarm.severity, message: alarm.message, value: null },
    });
  }
}

export async function clearEventAlarm(tx: Tx, input: { deviceId: string; type: string; now: Date }): Promise<void> {
  const current = await tx.alarm.findUnique({ where: { activeKey: activeKey(input.deviceId, input.type) } });
  if (!current) return;
  const cleared = await tx.alarm.update({
    where: { id: current.id },
    data: { state: "cleared", activeKey: null, clearedAt: input.now, changedAt: input.now },
  });
  await recordDomainEvent(tx, {
    tenantId: cleared.tenantId,
    type: "alarm.cleared",
    deviceId: cleared.deviceId,
    subjectType: "alarm",
    subjectId: cleared.id,
    payload: { type: cleared.type, severity: cleared.severity, message: cleared.message, value: null },
  });
}
