import type { Db, DeviceAssignment } from "@beacon/db";
import { recordAudit } from "../audit/record-audit.ts";
import { Invalid } from "../errors.ts";
import { findLine, type LineRef } from "../sites/subscribers.ts";
import { createTask } from "../tasks/create-task.ts";
import type { Actor } from "../users/users.ts";
import { releaseAssignment } from "./assignments.ts";

export interface EndOfContract {
  lineId: string;
  /** The factory reset queued for the line's device, if it had one. */
  taskId: string | null;
  released: DeviceAssignment | null;
}

/**
 * A subscriber's contract ends: the line's device is factory reset (the task waits in the queue if the device is
 * offline), its assignment released, and the line marked ended so that no new device is assigned to it.
 */
export async function endLineContract(
  db: Db,
  input: LineRef & { factoryReset?: boolean },
  actor: Actor,
): Promise<EndOfContract> {
  const line = await findLine(db, input);
  if (line.terminatedAt) throw new Invalid("this line's contract has ended already");
  const active = await db.deviceAssignment.findFirst({
    where: { lineId: line.id, state: { in: ["waiting", "provisioned"] } },
    orderBy: { createdAt: "desc" },
  });
  let taskId: string | null = null;
  if (active?.deviceId && active.state === "provisioned" && input.factoryReset !== false) {
    taskId = (await createTask(db, { deviceId: active.deviceId, kind: "factoryReset", args: {} }, actor)).id;
  }
  const released = active
    ? await releaseAssignment(db, { assignmentId: active.id, reason: "end of contract" }, actor)
    : null;
  await db.$transaction(async (tx) => {
    await tx.line.update({ where: { id: line.id }, data: { terminatedAt: new Date() } });
    await recordAudit(tx, {
      tenantId: line.tenantId,
      actorId: actor.id,
      actorLabel: actor.label,
      action: "line.end",
      targetType: "line",
      targetId: line.id,
      deviceId: active?.deviceId ?? undefined,
      after: { factoryResetTaskId: taskId },
    });
  });
  return { lineId: line.id, taskId, released };
}
