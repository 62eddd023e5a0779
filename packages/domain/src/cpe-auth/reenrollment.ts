import type { Db, Prisma } from "@beacon/db";
import { recordDomainEvent } from "../alarms/domain-events.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { Invalid, NotFound } from "../errors.ts";
import type { Actor } from "../users/users.ts";

/**
 * Re-admission after a factory reset in the field. A device with credentials of its own that comes back on a
 * bootstrap credential with 0 BOOTSTRAP is held (open-session.ts): not admitted, not silently refused. It shows in
 * its domain as asking to re-enroll, with an alarm; re-admitting it (one click, or the domain's autoReadmit)
 * lets its next Inform in, and it is given new credentials (storeCredentials then clears the request).
 */

export const REENROLL_ALARM = "device.reenroll";

const activeKey = (deviceId: string) => `${deviceId}/${REENROLL_ALARM}`;

export async function raiseReenrollAlarm(db: Db, deviceId: string, now: Date): Promise<void> {
  const device = await db.device.findUnique({
    where: { id: deviceId },
    select: { tenantId: true, serialNumber: true },
  });
  if (!device) return;
  const [alarm] = await db.alarm.createManyAndReturn({
    data: [
      {
        tenantId: device.tenantId,
        deviceId,
        type: REENROLL_ALARM,
        severity: "major",
        activeKey: activeKey(deviceId),
        message: `Device ${device.serialNumber} was reset and asks to re-enroll: re-admit it if it is yours`,
        raisedAt: now,
        changedAt: now,
      },
    ],
    skipDuplicates: true,
  });
  if (!alarm) return;
  await recordDomainEvent(db, {
    tenantId: alarm.tenantId,
    type: "alarm.raised",
    deviceId,
    subjectType: "alarm",
    subjectId: alarm.id,
    payload: { type: alarm.type, severity: alarm.severity, message: alarm.message, value: null },
  });
}

/**
 * The device got its new credentials and storeCredentials found it held (a re-enrollment request or approval,
 * which that same statement cleared): its alarm is settled.
 */
export async function settleReenrollment(tx: Prisma.TransactionClient, deviceId: string, now: Date): Promise<void> {
  const active = await tx.alarm.findUnique({ where: { activeKey: activeKey(deviceId) } });
  if (!active) return;
  const cleared = await tx.alarm.update({
    where: { id: active.id },
    data: { state: "cleared", activeKey: null, clearedAt: now, changedAt: now },
  });
  await recordDomainEvent(tx, {
    tenantId: cleared.tenantId,
    type: "alarm.cleared",
    deviceId,
    subjectType: "alarm",
    subjectId: cleared.id,
    payload: { type: cleared.type, severity: cleared.severity, message: cleared.message, value: null },
  });
}

/** One click: the held device's next bootstrap Inform is admitted and given new credentials. */
export async function readmitDevice(db: Db, deviceId: string, actor: Actor, now = new Date()): Promise<void> {
  const device = await db.device.findUnique({
    where: { id: deviceId },
    select: { id: true, tenantId: true, serialNumber: true, reenrollRequestedAt: true },
  });
  if (!device) throw new NotFound("device");
  if (!device.reenrollRequestedAt) throw new Invalid("this device has not asked to re-enroll");
  await db.$transaction(async (tx) => {
    await tx.device.update({ where: { id: deviceId }, data: { reenrollApprovedAt: now } });
    await recordAudit(tx, {
      tenantId: device.tenantId,
      actorId: actor.id,
      actorLabel: actor.label,
      action: "device.readmit",
      targetType: "device",
      targetId: deviceId,
      deviceId,
      after: { serialNumber: device.serialNumber },
    });
  });
}
