import type { Db, Task } from "@beacon/db";
import { recordAudit } from "../audit/record-audit.ts";
import { Invalid, NotFound } from "../errors.ts";
import { isTaskKind, TASK_KINDS, TaskArgs } from "./task-kinds.ts";

export interface CreateTaskInput {
  deviceId: string;
  kind: string;
  args?: unknown;
  /** Not before this time; default now. */
  notBefore?: Date;
  /** Give up on the task if no session has run it by then. */
  expiresAt?: Date;
}

export interface TaskActor {
  id?: string | null;
  label: string;
}

/** Queues work for a device; its next CWMP session runs it. Wake the device with wakeDevice to make that soon. */
export async function createTask(db: Db, input: CreateTaskInput, actor: TaskActor): Promise<Task> {
  if (!isTaskKind(input.kind)) {
    throw new Invalid(`unknown task kind ${input.kind}; expected one of ${TASK_KINDS.join(", ")}`);
  }
  const parsed = TaskArgs[input.kind].safeParse(input.args ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length ? ` (${issue.path.join(".")})` : "";
    throw new Invalid(`${input.kind}: ${issue.message}${where}`);
  }
  if (input.expiresAt && input.notBefore && input.expiresAt <= input.notBefore) {
    throw new Invalid("a task must not expire before it may start");
  }
  const device = await db.device.findUnique({ where: { id: input.deviceId }, select: { id: true, tenantId: true } });
  if (!device) throw new NotFound("device");
  if (input.kind === "download" && (parsed.data as { fileId?: string }).fileId) {
    const fileId = (parsed.data as { fileId: string }).fileId;
    const file = await db.file.findUnique({ where: { id: fileId }, select: { id: true } });
    if (!file) throw new NotFound("file");
  }
  return db.$transaction(async (tx) => {
    const task = await tx.task.create({
      data: {
        tenantId: device.tenantId,
        deviceId: device.id,
        kind: input.kind,
        args: parsed.data as object,
        notBefore: input.notBefore,
        expiresAt: input.expiresAt,
        createdBy: actor.label,
      },
    });
    await recordAudit(tx, {
      tenantId: device.tenantId,
      actorId: actor.id,
      actorLabel: actor.label,
      action: "task.create",
      targetType: "task",
      targetId: task.id,
      deviceId: device.id,
      after: { kind: task.kind, args: parsed.data as object },
    });
    return task;
  });
}

/** Cancels a task that has not finished; a running one is left to its session. */
export async function cancelTask(db: Db, taskId: string, actor: TaskActor): Promise<Task> {
  const task = await db.task.findUnique({ where: { id: taskId } });
  if (!task) throw new NotFound("task");
  return db.$transaction(async (tx) => {
    // Only a pending task: a session may have taken it since it was read.
    const { count } = await tx.task.updateMany({
      where: { id: taskId, state: "pending" },
      data: { state: "cancelled", finishedAt: new Date() },
    });
    if (count === 0) throw new Invalid("the task has started or finished and can no longer be cancelled");
    const cancelled = await tx.task.findUniqueOrThrow({ where: { id: taskId } });
    await recordAudit(tx, {
      tenantId: task.tenantId,
      actorId: actor.id,
      actorLabel: actor.label,
      action: "task.cancel",
      targetType: "task",
      targetId: task.id,
      deviceId: task.deviceId,
    });
    return cancelled;
  });
}
