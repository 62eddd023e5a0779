import type { SetParameterValuesFault } from "@beacon/cwmp";
import type { Db, Prisma } from "@beacon/db";
import { NotFound } from "../errors.ts";
import { createTask } from "../tasks/create-task.ts";
import { TaskArgs } from "../tasks/task-kinds.ts";
import type { Actor } from "../users/users.ts";
import type { PlannedValue } from "./plan.ts";

export interface RejectedParameter {
  name: string;
  code: number;
  message: string;
}

export type RetryOutcome =
  /** The values the device did not refuse are queued again in a new task. */
  | { kind: "retried"; taskId: string; rejected: RejectedParameter[]; remaining: number }
  /** The device refused every value. */
  | { kind: "nothing-left"; rejected: RejectedParameter[] }
  | { kind: "not-applicable"; reason: string };

/**
 * A SetParameterValues is all or nothing on the CPE (TR-069 A.3.2.1): one bad value (fault 9003 with
 * SetParameterValuesFault 9007 invalid value, 9008 not writable, ...) and nothing is set. This queues the values
 * the device did not refuse in a new task and records, on the templates and checkouts that sent them, which
 * setting was refused and why.
 *
 * The session layer calls it after recording the fault, with the decoded per-parameter faults. Without them it
 * reads `result.parameterFaults` of the task, then the "name: text (code)" list task-rpc writes in faultString.
 * A task is retried once; the new task can be retried in turn and has fewer values each time.
 */
export async function retryWithoutRejected(
  db: Db,
  taskId: string,
  faults?: readonly SetParameterValuesFault[],
  actor: Actor = { label: "system" },
): Promise<RetryOutcome> {
  const task = await db.task.findUnique({ where: { id: taskId } });
  if (!task) throw new NotFound("task");
  if (task.kind !== "setParameterValues")
    return { kind: "not-applicable", reason: `a ${task.kind} task sets no values` };
  if (task.state !== "fault") return { kind: "not-applicable", reason: `the task is ${task.state}, not in fault` };
  const args = TaskArgs.setParameterValues.safeParse(task.args);
  if (!args.success) return { kind: "not-applicable", reason: "the task's values cannot be read" };
  const names = new Set(args.data.values.map((v) => v.name));
  const rejected = rejectedParameters(faults, task.result, task.faultString, [...names]).filter((r) =>
    names.has(r.name),
  );
  if (rejected.length === 0) {
    return {
      kind: "not-applicable",
      reason: `the fault names no parameter: ${task.faultCode ?? ""} ${task.faultString ?? ""}`.trim(),
    };
  }

  // Claim the retry first so that two callers cannot both queue one.
  const claimed = await db.$executeRaw`
    UPDATE "Task" SET "result" = COALESCE("result", '{}'::jsonb) || jsonb_build_object('retriedBy', 'claimed')
    WHERE "id" = ${taskId}::uuid AND "state" = 'fault' AND NOT jsonb_exists(COALESCE("result", '{}'::jsonb), 'retriedBy')`;
  if (claimed === 0) return { kind: "not-applicable", reason: "the task was retried already" };

  const refused = new Set(rejected.map((r) => r.name));
  const remaining = args.data.values.filter((v) => !refused.has(v.name));
  let newTaskId: string | null = null;
  if (remaining.length) {
    const retry = await createTask(
      db,
      {
        deviceId: task.deviceId,
        kind: "setParameterValues",
        args: { values: remaining, parameterKey: args.data.parameterKey },
      },
      actor,
    );
    newTaskId = retry.id;
  }
  const result: Prisma.InputJsonObject = {
    ...(isRecord(task.result) ? (task.result as Prisma.InputJsonObject) : {}),
    parameterFaults: rejected.map((r) => ({ ...r })),
    retriedBy: newTaskId,
  };

  await db.$transaction(async (tx) => {
    await tx.task.update({ where: { id: taskId }, data: { result } });
    const carried = await tx.deviceTemplate.findMany({ where: { deviceId: task.deviceId, taskIds: { has: taskId } } });
    for (const row of carried) {
      const values = (Array.isArray(row.values) ? row.values : []) as unknown as PlannedValue[];
      const mine = rejected.filter((r) => values.some((v) => v.path === r.name));
      if (mine.length === 0) continue;
      const entries = mine.map((r) => ({
        setting: values.find((v) => v.path === r.name)?.setting ?? null,
        path: r.name,
        code: r.code,
        reason: r.message,
        taskId,
      }));
      await tx.deviceTemplate.update({
        where: { id: row.id },
        data: {
          rejected: [...(Array.isArray(row.rejected) ? row.rejected : []), ...entries] as Prisma.InputJsonValue,
          taskIds: newTaskId ? [...row.taskIds, newTaskId] : row.taskIds,
        },
      });
    }
    const checkouts = await tx.checkout.findMany({ where: { deviceId: task.deviceId, taskIds: { has: taskId } } });
    for (const checkout of checkouts) {
      const refusedText = `the device refused ${rejected.map((r) => `${r.name} (${r.code} ${r.message})`).join(", ")}`;
      await tx.checkout.update({
        where: { id: checkout.id },
        data: {
          taskIds: checkout.taskIds.flatMap((id) => (id === taskId ? (newTaskId ? [newTaskId] : []) : [id])),
          problem: [checkout.problem, refusedText].filter(Boolean).join("; "),
        },
      });
    }
  });

  return newTaskId
    ? { kind: "retried", taskId: newTaskId, rejected, remaining: remaining.length }
    : { kind: "nothing-left", rejected };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function rejectedParameters(
  faults: readonly SetParameterValuesFault[] | undefined,
  result: unknown,
  faultString: string | null,
  names: readonly string[],
): RejectedParameter[] {
  if (faults?.length) return faults.map((f) => ({ name: f.parameterName, code: f.faultCode, message: f.faultString }));
  const stored = isRecord(result) && Array.isArray(result.parameterFaults) ? result.parameterFaults : [];
  const fromResult = stored.flatMap((f) => {
    if (!isRecord(f) || typeof f.name !== "string" || typeof f.code !== "number") return [];
    return [{ name: f.name, code: f.code, message: typeof f.message === "string" ? f.message : "" }];
  });
  if (fromResult.length) return fromResult;
  // task-rpc writes "<text>; <name>: <text> (<code>); ...": find each of the task's names in it.
  const out: RejectedParameter[] = [];
  for (const name of names) {
    const at = faultString?.indexOf(`${name}: `) ?? -1;
    if (at === -1 || !faultString) continue;
    const rest = faultString.slice(at + name.length + 2);
    const m = /^(.*?) \((\d{4})\)(?:; |$)/.exec(rest);
    if (m) out.push({ name, code: Number(m[2]), message: m[1]! });
  }
  return out;
}
