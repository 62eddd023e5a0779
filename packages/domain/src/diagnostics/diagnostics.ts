import type { Db, Diagnostic, DiagnosticKind, Prisma, Task } from "@beacon/db";
import { recordDomainEvent } from "../alarms/domain-events.ts";
import { Conflict, Invalid, NotFound } from "../errors.ts";
import { createTask, type TaskActor } from "../tasks/create-task.ts";
import { commandInputArgs, commandPath, outputArgsAsValues, USP_DIAGNOSTIC_COMMANDS } from "../usp/usp-diagnostics.ts";
import {
  DIAGNOSTIC_KINDS,
  DiagnosticParams,
  diagnosticObject,
  diagnosticStartValues,
  isDiagnosticKind,
} from "./diagnostic-objects.ts";
import { parseDiagnosticResult } from "./diagnostic-results.ts";

/**
 * A remote diagnostic's life: startDiagnostic queues a SetParameterValues with DiagnosticsState=Requested;
 * the device runs the test and informs "8 DIAGNOSTICS COMPLETE"; onDiagnosticsComplete queues a
 * GetParameterValues of the object; completeDiagnostic parses the values into the Diagnostic row, which is the
 * device's diagnostic history. settleDiagnostics, run by the monitoring scheduler, covers devices that never
 * send the event, results read by another task, and tests that never finish.
 */

/** How long a diagnostic's tasks may wait for a session. */
const TASK_LIFETIME_MS = 3_600_000;
const ACTIVE: Diagnostic["state"][] = ["requested", "collecting"];

export interface StartDiagnosticInput {
  deviceId: string;
  kind: DiagnosticKind | string;
  params?: Record<string, unknown>;
  actor: TaskActor;
  now?: Date;
}

/**
 * Queues a diagnostic on the device's TR-181 or TR-098 object. Wake the device (wakeDevice with the returned
 * setTaskId) to run it now rather than at its next periodic Inform. One diagnostic of a kind at a time.
 */
export async function startDiagnostic(db: Db, input: StartDiagnosticInput): Promise<Diagnostic> {
  const { kind } = input;
  if (!isDiagnosticKind(kind))
    throw new Invalid(`unknown diagnostic ${kind}; expected one of ${DIAGNOSTIC_KINDS.join(", ")}`);
  const parsed = DiagnosticParams[kind].safeParse(input.params ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Invalid(`${kind}: ${issue.message}${issue.path.length ? ` (${issue.path.join(".")})` : ""}`);
  }
  const now = input.now ?? new Date();
  const device = await db.device.findUnique({
    where: { id: input.deviceId },
    select: { id: true, tenantId: true, dataModelRoot: true, protocol: true },
  });
  if (!device) throw new NotFound("device");
  const params = parsed.data as Record<string, unknown>;
  const planned =
    device.protocol === "usp" ? uspDiagnosticTask(kind, params) : await cwmpDiagnosticTask(db, device, kind, params);
  const running = await db.diagnostic.findFirst({ where: { deviceId: device.id, kind, state: { in: ACTIVE } } });
  if (running) throw new Conflict(`a ${kind} diagnostic is still running on this device`);
  const task = await createTask(
    db,
    {
      deviceId: device.id,
      ...planned.task,
      notBefore: now,
      expiresAt: new Date(now.getTime() + TASK_LIFETIME_MS),
    },
    input.actor,
  );
  return db.diagnostic.create({
    data: {
      tenantId: device.tenantId,
      deviceId: device.id,
      kind,
      path: planned.path,
      params: params as Prisma.InputJsonValue,
      setTaskId: task.id,
      requestedBy: input.actor.label,
      createdAt: now,
    },
  });
}

/** The diagnostic object (or command) and the task that starts it, per protocol. */
type PlannedDiagnostic = { path: string; task: { kind: "setParameterValues" | "operate"; args: unknown } };

/** Over CWMP a diagnostic is a SetParameterValues on its object; 8 DIAGNOSTICS COMPLETE says it ended. */
async function cwmpDiagnosticTask(
  db: Db,
  device: { id: string; dataModelRoot: string | null },
  kind: DiagnosticKind,
  params: Record<string, unknown>,
): Promise<PlannedDiagnostic> {
  const root = device.dataModelRoot ?? (await rootFromParameters(db, device.id));
  if (root !== "Device" && root !== "InternetGatewayDevice") {
    throw new Invalid("the device's data model is not known yet; wait for its first Inform");
  }
  const known = await db.deviceParameter.findMany({
    where: { deviceId: device.id, name: { endsWith: "DiagnosticsState" } },
    select: { name: true },
  });
  const path = diagnosticObject(kind, root, new Set(known.map((k) => k.name)));
  if (!path) throw new Invalid(`this device offers no ${kind} diagnostic`);
  return { path, task: { kind: "setParameterValues", args: { values: diagnosticStartValues(kind, path, params) } } };
}

/** Over USP a diagnostic is one asynchronous Operate; its OperationComplete carries the result (usp-controller.ts). */
function uspDiagnosticTask(kind: DiagnosticKind, params: Record<string, unknown>): PlannedDiagnostic {
  const command = USP_DIAGNOSTIC_COMMANDS[kind];
  const path = commandPath(command);
  return {
    path,
    task: {
      kind: "operate",
      args: { command, inputArgs: commandInputArgs(path, diagnosticStartValues(kind, path, params)) },
    },
  };
}

/**
 * USP: the OperationComplete of a diagnostic's Operate (task `taskId`, already finished) ends the diagnostic with
 * the command's output arguments, or with the command's failure.
 */
export async function completeUspDiagnostic(
  db: Db,
  taskId: string,
  outcome: { outputArgs: Record<string, string> } | { error: string },
  now: Date = new Date(),
): Promise<Diagnostic | null> {
  const diagnostic = await db.diagnostic.findFirst({ where: { setTaskId: taskId, state: { in: ACTIVE } } });
  if (!diagnostic) return null;
  if ("error" in outcome) {
    return finish(db, diagnostic, now, {
      state: "failed",
      result: null,
      summary: `failed: ${outcome.error}`,
      error: outcome.error,
    });
  }
  const parsed = parseDiagnosticResult(
    diagnostic.kind,
    diagnostic.path,
    outputArgsAsValues(diagnostic.path, outcome.outputArgs),
  );
  return finish(db, diagnostic, now, {
    state: parsed.status === "complete" ? "complete" : "failed",
    result: parsed.result as Prisma.InputJsonValue | null,
    summary: parsed.summary,
    error: parsed.error ?? null,
  });
}

async function rootFromParameters(db: Db, deviceId: string): Promise<string | null> {
  const any = await db.deviceParameter.findFirst({ where: { deviceId }, select: { name: true } });
  return any ? any.name.slice(0, any.name.indexOf(".")) : null;
}

/**
 * SESSION HOOK: call when a device's Inform carries the event "8 DIAGNOSTICS COMPLETE" (TR-069 3.7.1.5), before
 * the session sends its requests: queues a GetParameterValues of each started diagnostic's object, which the
 * same session then runs. Returns the diagnostics now collecting their results.
 */
export async function onDiagnosticsComplete(db: Db, deviceId: string, now: Date = new Date()): Promise<Diagnostic[]> {
  const waiting = await db.diagnostic.findMany({
    where: { deviceId, state: "requested" },
    orderBy: { createdAt: "asc" },
  });
  const tasks = await tasksById(
    db,
    waiting.flatMap((d) => (d.setTaskId ? [d.setTaskId] : [])),
  );
  const collecting: Diagnostic[] = [];
  for (const diagnostic of waiting) {
    // A test still queued cannot have completed: the event is about another one (e.g. started on the device).
    const set = diagnostic.setTaskId ? tasks.get(diagnostic.setTaskId) : undefined;
    if (set && (set.state === "pending" || set.state === "running")) continue;
    collecting.push(await queueRead(db, diagnostic, now));
  }
  return collecting;
}

async function queueRead(db: Db, diagnostic: Diagnostic, now: Date): Promise<Diagnostic> {
  const read = await createTask(
    db,
    {
      deviceId: diagnostic.deviceId,
      kind: "getParameterValues",
      args: { names: [diagnostic.path] },
      notBefore: now,
      expiresAt: new Date(now.getTime() + TASK_LIFETIME_MS),
    },
    { label: diagnostic.requestedBy },
  );
  return db.diagnostic.update({ where: { id: diagnostic.id }, data: { state: "collecting", readTaskId: read.id } });
}

/**
 * SESSION HOOK: call with the values of a GetParameterValuesResponse (or an Inform) that holds a
 * "...DiagnosticsState" value. Finishes the device's started diagnostics whose object the values cover: parses
 * them into a result in numbers and words, or an error. Values read before the test was even sent are ignored.
 * Returns the diagnostics finished.
 */
export async function completeDiagnostic(
  db: Db,
  deviceId: string,
  values: ReadonlyArray<{ name: string; value: string }>,
  now: Date = new Date(),
): Promise<Diagnostic[]> {
  const states = new Set(values.filter((v) => v.name.endsWith(".DiagnosticsState")).map((v) => v.name));
  if (!states.size) return [];
  const active = await db.diagnostic.findMany({
    where: { deviceId, state: { in: ACTIVE } },
    orderBy: { createdAt: "asc" },
  });
  const covered = active.filter((d) => states.has(`${d.path}DiagnosticsState`));
  if (!covered.length) return [];
  const tasks = await tasksById(
    db,
    covered.flatMap((d) => (d.setTaskId ? [d.setTaskId] : [])),
  );
  const finished: Diagnostic[] = [];
  for (const diagnostic of covered) {
    const set = diagnostic.setTaskId ? tasks.get(diagnostic.setTaskId) : undefined;
    if (set && set.state !== "done") continue;
    const parsed = parseDiagnosticResult(diagnostic.kind, diagnostic.path, values);
    if (parsed.status === "pending") {
      if (diagnostic.state === "collecting") {
        await db.diagnostic.update({ where: { id: diagnostic.id }, data: { state: "requested" } });
      }
      continue;
    }
    finished.push(
      await finish(db, diagnostic, now, {
        state: parsed.status === "complete" ? "complete" : "failed",
        result: parsed.result as Prisma.InputJsonValue | null,
        summary: parsed.summary,
        error: parsed.error ?? null,
      }),
    );
  }
  return finished;
}

async function finish(
  db: Db,
  diagnostic: Diagnostic,
  now: Date,
  outcome: {
    state: "complete" | "failed";
    result: Prisma.InputJsonValue | null;
    summary: string;
    error: string | null;
  },
): Promise<Diagnostic> {
  return db.$transaction(async (tx) => {
    const updated = await tx.diagnostic.update({
      where: { id: diagnostic.id },
      data: {
        state: outcome.state,
        result: outcome.result ?? undefined,
        summary: outcome.summary,
        error: outcome.error,
        completedAt: now,
      },
    });
    await recordDomainEvent(tx, {
      tenantId: diagnostic.tenantId,
      type: "diagnostic.completed",
      deviceId: diagnostic.deviceId,
      subjectType: "diagnostic",
      subjectId: diagnostic.id,
      payload: { kind: diagnostic.kind, state: outcome.state, summary: outcome.summary },
    });
    return updated;
  });
}

async function tasksById(db: Db, ids: readonly string[]): Promise<Map<string, Task>> {
  if (!ids.length) return new Map();
  const tasks = await db.task.findMany({ where: { id: { in: [...ids] } } });
  return new Map(tasks.map((t) => [t.id, t]));
}

const FINAL_TASK_STATES: ReadonlySet<Task["state"]> = new Set(["done", "fault", "expired", "cancelled"]);

function taskProblem(task: Task): string {
  if (task.state === "fault") return task.faultString ?? `CPE fault ${task.faultCode ?? ""}`.trim();
  return task.state === "expired" ? "the device did not open a session in time" : "the task was cancelled";
}

export interface SettleDiagnosticsOptions {
  /** Read the results this long after the test was sent (or last read) when no event came; default 120 s. */
  pollAfterSeconds?: number;
  /** Give up on a test after this long; default 30 minutes. */
  timeoutMinutes?: number;
  limit?: number;
}

/**
 * What the session hooks may have missed: results read by a task but not handed to completeDiagnostic, devices
 * that never inform "8 DIAGNOSTICS COMPLETE" (their results are read after pollAfterSeconds), tasks that failed
 * or expired, tests that never finish. Called by the monitoring scheduler.
 */
export async function settleDiagnostics(db: Db, now: Date = new Date(), options: SettleDiagnosticsOptions = {}) {
  const pollAfterMs = (options.pollAfterSeconds ?? 120) * 1000;
  const timeoutMs = (options.timeoutMinutes ?? 30) * 60_000;
  const open = await db.diagnostic.findMany({
    where: { state: { in: ACTIVE } },
    orderBy: { createdAt: "asc" },
    take: options.limit ?? 500,
  });
  const tasks = await tasksById(
    db,
    open.flatMap((d) => [d.setTaskId, d.readTaskId].filter((id): id is string => id !== null)),
  );
  const outcome = { completed: 0, failed: 0, reading: 0 };
  for (const diagnostic of open) {
    const set = diagnostic.setTaskId ? tasks.get(diagnostic.setTaskId) : undefined;
    const read = diagnostic.readTaskId ? tasks.get(diagnostic.readTaskId) : undefined;
    const fail = async (error: string) => {
      await finish(db, diagnostic, now, { state: "failed", result: null, summary: `failed: ${error}`, error });
      outcome.failed += 1;
    };
    if (set && FINAL_TASK_STATES.has(set.state) && set.state !== "done") {
      await fail(`could not start the test: ${taskProblem(set)}`);
      continue;
    }
    if (diagnostic.state === "collecting" && read?.state === "done") {
      const answer = (read.result as { values?: { name: string; value: string }[] } | null)?.values ?? [];
      const finished = (await completeDiagnostic(db, diagnostic.deviceId, answer, now)).find(
        (d) => d.id === diagnostic.id,
      );
      if (finished) {
        outcome[finished.state === "complete" ? "completed" : "failed"] += 1;
        continue;
      }
      // Still running on the device: read again after pollAfterSeconds (below).
    }
    if (diagnostic.state === "collecting" && read && FINAL_TASK_STATES.has(read.state) && read.state !== "done") {
      await fail(`could not read the results: ${taskProblem(read)}`);
      continue;
    }
    if (now.getTime() - diagnostic.createdAt.getTime() > timeoutMs) {
      await fail(`no result within ${Math.round(timeoutMs / 60_000)} minutes`);
      continue;
    }
    const lastHeard = read?.finishedAt ?? set?.finishedAt;
    const readPending = read && !FINAL_TASK_STATES.has(read.state);
    if (set?.state === "done" && !readPending && lastHeard && now.getTime() - lastHeard.getTime() >= pollAfterMs) {
      await queueRead(db, diagnostic, now);
      outcome.reading += 1;
    }
  }
  return outcome;
}

/** A device's diagnostic history, newest first. */
export async function listDiagnostics(
  db: Db,
  deviceId: string,
  options: { kind?: DiagnosticKind; limit?: number } = {},
) {
  return db.diagnostic.findMany({
    where: { deviceId, ...(options.kind ? { kind: options.kind } : {}) },
    orderBy: { createdAt: "desc" },
    take: options.limit ?? 50,
  });
}
