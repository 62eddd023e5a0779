import type { CheckoutState, Db, Prisma } from "@beacon/db";
import { recordAudit } from "../audit/record-audit.ts";
import { Invalid } from "../errors.ts";
import { findRoom, type RoomRef } from "../sites/rooms.ts";
import { createTask } from "../tasks/create-task.ts";
import { newPassphrase, passphraseRuleOf } from "../templates/apply.ts";
import {
  ASSIGNMENT_TARGET_INCLUDE,
  loadDeviceForTemplates,
  mappingForDevice,
  variableContext,
} from "../templates/device-context.ts";
import { loadMappings, type MappingSet } from "../templates/mappings.ts";
import {
  candidatePaths,
  knownParametersFor,
  type PlannedValue,
  planDevice,
  type SkippedSetting,
} from "../templates/plan.ts";
import { versionContent } from "../templates/templates.ts";
import { SETTINGS } from "../templates/vocabulary.ts";
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
  /** Settings of the room's templates the device cannot take, with the reason. */
  skipped: SkippedSetting[];
}

const PASSPHRASES = ["wifi.2g.passphrase", "wifi.5g.passphrase"];
const NETWORKS = ["wifi.2g.enable", "wifi.5g.enable"];

/**
 * A guest leaves: the room's WiFi gets a new passphrase (by its template's checkout.passphrase rule), what a stay
 * may have changed goes back to the template's values, and optionally the device restarts.
 *
 * Dropping connected clients: the networks are switched off in a first task and back on with the new passphrase
 * in a second, which disassociates every client on every data model (TR-098 WLANConfiguration.Enable, TR-181
 * SSID.Enable); no vendor kick parameter is needed. The second task carries Enable=true, so a device that
 * refuses some other value still comes back on (see retryWithoutRejected).
 *
 * Everything is queued: an offline device gets it at its next contact and the checkout stays pending until then.
 */
export async function checkoutRoom(db: Db, input: CheckoutRoomInput): Promise<CheckoutResult> {
  const mappings = input.mappings ?? loadMappings();
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
  const fixed: Record<string, string> = {};
  for (const key of PASSPHRASES) {
    restored[key] ??= "{{room.passphrase}}";
    fixed[key] = passphrase.value;
  }

  const placed = {
    ...assignment,
    room: assignment.room ? { ...assignment.room, wifiPassphrase: passphrase.value } : null,
  };
  const context = variableContext(device, placed);
  const { root, mapping } = await mappingForDevice(db, device, mappings);
  // A network the templates say nothing about is cycled only when the device reports it on.
  for (const key of NETWORKS) {
    if (key in restored) continue;
    const m = mapping?.settings.get(key);
    const paths = m?.kind === "parameters" ? m.parameters.map((p) => p.path) : [];
    const on = await db.deviceParameter.findFirst({
      where: { deviceId: device.id, name: { in: paths }, value: { in: ["true", "1"] } },
      select: { name: true },
    });
    if (on) restored[key] = "true";
  }
  const known = await knownParametersFor(db, device.id, candidatePaths(mapping, { ...restored, ...fixed }));
  const restore = planDevice({ root, mapping, known, settings: restored, context, fixed });
  if (!restore.values.some((v) => v.setting && PASSPHRASES.includes(v.setting))) {
    const why = restore.skipped.filter((s) => s.setting && PASSPHRASES.includes(s.setting)).map((s) => s.reason);
    throw new Invalid(`room ${room.number}'s device cannot take a WiFi passphrase: ${why.join("; ") || "no mapping"}`);
  }
  const enabledBands = NETWORKS.filter((key) => restore.values.some((v) => v.setting === key && v.value !== "false"));
  const off = planDevice({
    root,
    mapping,
    known,
    settings: Object.fromEntries(enabledBands.map((key) => [key, "false"])),
    context,
  });

  const now = new Date();
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
      after: { checkoutId: created.id, reboot: Boolean(input.reboot) },
    });
    return created;
  });

  // Due a moment apart in the past, so that they run in this order and at once (the queue orders by notBefore).
  const due = (step: number) => new Date(now.getTime() - 3 + step);
  const taskIds: string[] = [];
  const setValues = async (values: PlannedValue[], step: number) => {
    const task = await createTask(
      db,
      {
        deviceId: device.id,
        kind: "setParameterValues",
        args: {
          values: values.map((v) => ({ name: v.path, value: v.value, type: v.type })),
          parameterKey: `checkout-${checkout.id.slice(0, 8)}`,
        },
        notBefore: due(step),
      },
      input.actor,
    );
    taskIds.push(task.id);
    return task.id;
  };
  if (off.values.length) await setValues(off.values, 0);
  const restoreTaskId = await setValues(restore.values, 1);
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

  return { checkoutId: checkout.id, passphrase: passphrase.value, state: "pending", taskIds, skipped: restore.skipped };
}
