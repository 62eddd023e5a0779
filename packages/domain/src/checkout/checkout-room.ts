import type { CheckoutState, Db, Prisma } from "@beacon/db";
import { recordAudit } from "../audit/record-audit.ts";
import { Invalid } from "../errors.ts";
import { isFresh, loadNetworkMap, queueNetworkMapRead } from "../networks/read-network-map.ts";
import { findRoom, type RoomRef } from "../sites/rooms.ts";
import { createTask } from "../tasks/create-task.ts";
import { newPassphrase, passphraseRuleOf } from "../templates/apply.ts";
import { ASSIGNMENT_TARGET_INCLUDE, loadDeviceForTemplates, variableContext } from "../templates/device-context.ts";
import type { MappingSet } from "../templates/mappings.ts";
import type { PlannedValue, SkippedSetting } from "../templates/plan.ts";
import { renderValue } from "../templates/render.ts";
import { versionContent } from "../templates/templates.ts";
import { checkSettingValue, SETTINGS } from "../templates/vocabulary.ts";
import type { Actor } from "../users/users.ts";

export type CheckoutRoomInput = RoomRef & {
  actor: Actor;
  /** Restart the device after the new settings are in place. */
  reboot?: boolean;
  mappings?: MappingSet;
};

export interface CheckoutResult {
  checkoutId: string;
  /** The new guest passphrase, to hand to the next guest. */
  passphrase: string;
  state: CheckoutState;
  /** In the order the device runs them: networks off, new settings (networks back on), reboot. */
  taskIds: string[];
  /** Settings of the room's templates whose value does not work for this room, with the reason. */
  skipped: SkippedSetting[];
  /** The device's networks are read first, in the same session, because Beacon's map of them is unknown or stale. */
  readFirst: boolean;
}

const PASSPHRASES = ["wifi.2g.passphrase", "wifi.5g.passphrase", "wifi.6g.passphrase", "wifi.guest.passphrase"];

/**
 * A guest leaves: every network of the room's device a guest could use gets a new passphrase (by its template's
 * checkout.passphrase rule), what a stay may have changed goes back to the template's values, and optionally the
 * device restarts.
 *
 * Which networks those are is the device's to say: the checkout runs as a checkoutNetworks task planned from the
 * device's network map when the session runs it, and a map that is unknown or stale is read first in the same
 * session. Each network is switched off (its clients disconnect), gets the passphrase and comes back on, and is read
 * back (checkout-networks.ts); the checkout ends done only when every one took it, incomplete otherwise, naming each
 * network left and why (checkout-status.ts).
 *
 * Everything is queued: an offline device gets it at its next contact and the checkout stays pending until then.
 */
export async function checkoutRoom(db: Db, input: CheckoutRoomInput): Promise<CheckoutResult> {
  const room = await findRoom(db, input);
  const assignment = await db.deviceAssignment.findFirst({
    where: { roomId: room.id, state: "provisioned", deviceId: { not: null } },
    include: ASSIGNMENT_TARGET_INCLUDE,
    orderBy: { provisionedAt: "desc" },
  });
  if (!assignment?.deviceId) throw new Invalid(`room ${room.number} has no provisioned device`);
  const device = await loadDeviceForTemplates(db, assignment.deviceId);

  const carried = await db.deviceTemplate.findMany({
    where: { deviceId: device.id },
    include: { templateVersion: true },
    orderBy: { createdAt: "asc" },
  });
  const contents = carried.map((row) => versionContent(row.templateVersion));
  const passphrase = newPassphrase(passphraseRuleOf(contents), variableContext(device, assignment));
  if (!passphrase.ok)
    throw new Invalid(`the checkout passphrase rule does not work for room ${room.number}: ${passphrase.problem}`);

  // What the room's templates say about the guest-facing settings, a later template over an earlier one.
  const restored: Record<string, string> = {};
  for (const content of contents) {
    for (const [key, value] of Object.entries(content.settings))
      if (SETTINGS[key]?.restoredAtCheckout) restored[key] = value;
  }
  const placed = {
    ...assignment,
    room: assignment.room ? { ...assignment.room, wifiPassphrase: passphrase.value } : null,
  };
  const context = variableContext(device, placed);
  // Values are final here (the room's context); where they land is decided on the device's map in the session.
  const settings: Record<string, string> = {};
  const skipped: SkippedSetting[] = [];
  for (const [key, template] of Object.entries(restored)) {
    if (PASSPHRASES.includes(key)) continue;
    const rendered = renderValue(template, context);
    const checked = rendered.ok ? checkSettingValue(key, rendered.value) : rendered;
    if (checked.ok) settings[key] = checked.value;
    else skipped.push({ setting: key, reason: checked.problem });
  }
  for (const key of PASSPHRASES) settings[key] = passphrase.value;

  const now = new Date();
  const stored = await loadNetworkMap(db, device.id);
  const readFirst = !isFresh(stored, now);
  const checkout = await db.$transaction(async (tx) => {
    await tx.room.update({ where: { id: room.id }, data: { wifiPassphrase: passphrase.value } });
    const created = await tx.checkout.create({
      data: {
        tenantId: room.tenantId,
        roomId: room.id,
        deviceId: device.id,
        passphrase: passphrase.value,
        reboot: Boolean(input.reboot),
        requestedBy: input.actor.label,
      },
    });
    await recordAudit(tx, {
      tenantId: room.tenantId,
      actorId: input.actor.id,
      actorLabel: input.actor.label,
      action: "room.checkout",
      targetType: "room",
      targetId: room.id,
      deviceId: device.id,
      after: { checkoutId: created.id, roomNumber: room.number, reboot: Boolean(input.reboot) },
    });
    return created;
  });

  // Due a moment apart in the past, so that they run in this order and at once (the queue orders by notBefore).
  const due = (step: number) => new Date(now.getTime() - 3 + step);
  const taskIds: string[] = [];
  // The read, when needed, is due before anything else (queueNetworkMapRead), so the same session runs it first.
  if (readFirst) await queueNetworkMapRead(db, device, now, input.actor.label);
  const networksTask = await createTask(
    db,
    {
      deviceId: device.id,
      kind: "checkoutNetworks",
      args: {
        checkoutId: checkout.id,
        passphrase: passphrase.value,
        settings,
        parameterKey: `checkout-${checkout.id.slice(0, 8)}`,
      },
      notBefore: due(1),
    },
    input.actor,
  );
  taskIds.push(networksTask.id);
  const restoreTaskId = networksTask.id;
  if (input.reboot) {
    const task = await createTask(
      db,
      { deviceId: device.id, kind: "reboot", args: {}, notBefore: due(2) },
      input.actor,
    );
    taskIds.push(task.id);
  }

  await db.$transaction(async (tx) => {
    await tx.checkout.update({ where: { id: checkout.id }, data: { taskIds } });
    // The templates' record follows the passphrase, so that a replacement device or a reset gets the new one.
    for (const row of carried) {
      const values = (Array.isArray(row.values) ? row.values : []) as unknown as PlannedValue[];
      if (!values.some((v) => v.setting && PASSPHRASES.includes(v.setting))) continue;
      const updated = values.map((v) =>
        v.setting && PASSPHRASES.includes(v.setting) ? { ...v, value: passphrase.value } : v,
      );
      await tx.deviceTemplate.update({
        where: { id: row.id },
        data: { values: updated as unknown as Prisma.InputJsonValue, taskIds: [...row.taskIds, restoreTaskId] },
      });
    }
  });

  return { checkoutId: checkout.id, passphrase: passphrase.value, state: "pending", taskIds, skipped, readFirst };
}
