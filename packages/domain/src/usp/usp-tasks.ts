import type { Task } from "@beacon/db";
import { type Msg, type RequestInit, type RequestKind, requestMsg, USP_ERRORS, uspErrorText } from "@beacon/usp";
import type { ParameterEffects } from "../cwmp/parameter-effects.ts";
import { TaskArgs, type TaskKind } from "../tasks/task-kinds.ts";

/**
 * The task queue over USP: which Msg carries a task, and what the agent's answer means for it. A task's Msg has
 * msg_id "task:<id>:<attempt>" and an Operate's command_key is the task id, so that any process can match an
 * answer or an OperationComplete to its task without remembering anything.
 */

export type UspTaskOutcome =
  | { kind: "done"; result: unknown; effects: ParameterEffects }
  | { kind: "fault"; code: number | null; message: string }
  /** An asynchronous command runs on: the task stays running until the agent's OperationComplete. */
  | { kind: "await"; result: unknown };

const TASK_MSG = /^task:([0-9a-f-]{36}):\d+(?:\.(\d+))?$/;

export function taskMsgId(task: Pick<Task, "id" | "attempts">): string {
  return `task:${task.id}:${task.attempts}`;
}

export function taskIdOfMsgId(msgId: string): string | null {
  return TASK_MSG.exec(msgId)?.[1] ?? null;
}

/** The step of a multi-step task a msg_id names ("task:<id>:<attempt>.<step>"), 0 for a single-step one. */
export function stepOfMsgId(msgId: string): number {
  return Number(TASK_MSG.exec(msgId)?.[2] ?? 0);
}

/** Task kinds that USP carries; the others are faulted with a sentence when their turn comes. */
export const USP_TASK_KINDS: ReadonlySet<TaskKind> = new Set<TaskKind>([
  "getParameterValues",
  "setParameterValues",
  "refresh",
  "addObject",
  "deleteObject",
  "reboot",
  "factoryReset",
  "operate",
]);

export type UspRequest = { msg: Msg } | { unsupported: string };

export function uspTaskRequest(task: Pick<Task, "id" | "attempts" | "kind" | "args">): UspRequest {
  const msgId = taskMsgId(task);
  const body = requestBody(task);
  if ("unsupported" in body) return body;
  return { msg: requestMsg(msgId, body as RequestInit & { case: RequestKind }) };
}

function requestBody(task: Pick<Task, "id" | "kind" | "args">): RequestInit | { unsupported: string } {
  switch (task.kind) {
    case "getParameterValues": {
      const { names } = TaskArgs.getParameterValues.parse(task.args);
      return { case: "get", value: { paramPaths: names } };
    }
    case "refresh": {
      const { path } = TaskArgs.refresh.parse(task.args);
      return { case: "get", value: { paramPaths: [path || "Device."] } };
    }
    case "setParameterValues": {
      const { values } = TaskArgs.setParameterValues.parse(task.args);
      const byObject = new Map<string, { param: string; value: string; required: boolean }[]>();
      for (const v of values) {
        const dot = v.name.lastIndexOf(".");
        const objPath = v.name.slice(0, dot + 1);
        const settings = byObject.get(objPath) ?? [];
        settings.push({ param: v.name.slice(dot + 1), value: v.value, required: true });
        byObject.set(objPath, settings);
      }
      return {
        case: "set",
        value: {
          allowPartial: false,
          updateObjs: [...byObject].map(([objPath, paramSettings]) => ({ objPath, paramSettings })),
        },
      };
    }
    case "addObject": {
      const { objectName } = TaskArgs.addObject.parse(task.args);
      return { case: "add", value: { allowPartial: false, createObjs: [{ objPath: objectName }] } };
    }
    case "deleteObject": {
      const { objectName } = TaskArgs.deleteObject.parse(task.args);
      return { case: "delete", value: { allowPartial: false, objPaths: [objectName] } };
    }
    case "reboot":
      return { case: "operate", value: { command: "Device.Reboot()", commandKey: task.id, sendResp: true } };
    case "factoryReset":
      return { case: "operate", value: { command: "Device.FactoryReset()", commandKey: task.id, sendResp: true } };
    case "operate": {
      const { command, inputArgs } = TaskArgs.operate.parse(task.args);
      return { case: "operate", value: { command, commandKey: task.id, sendResp: true, inputArgs } };
    }
    default:
      return { unsupported: `${task.kind} is not available over USP yet` };
  }
}

/** What the agent's answer (a response or an Error Msg) to a task's request means for the task. */
export function uspTaskOutcome(task: Pick<Task, "kind" | "args">, msg: Msg): UspTaskOutcome {
  const body = msg.body?.msgBody;
  if (body?.case === "error") {
    const e = body.value;
    const detail = e.paramErrs.map((p) => `${p.paramPath}: ${p.errMsg || uspErrorText(p.errCode)} (${p.errCode})`);
    const text = e.errMsg || uspErrorText(e.errCode);
    return { kind: "fault", code: e.errCode, message: detail.length ? `${text}; ${detail.join("; ")}` : text };
  }
  if (body?.case !== "response") return unexpected(task, "a request");
  const resp = body.value.respType;
  switch (resp.case) {
    case "getResp": {
      const values: { name: string; value: string }[] = [];
      const failures: string[] = [];
      for (const r of resp.value.reqPathResults) {
        if (r.errCode) failures.push(`${r.requestedPath}: ${r.errMsg || uspErrorText(r.errCode)} (${r.errCode})`);
        for (const resolved of r.resolvedPathResults) {
          for (const [name, value] of Object.entries(resolved.resultParams)) {
            values.push({ name: `${resolved.resolvedPath}${name}`, value });
          }
        }
      }
      const firstError = resp.value.reqPathResults.find((r) => r.errCode);
      if (firstError && !values.length) {
        return { kind: "fault", code: firstError.errCode, message: failures.join("; ") };
      }
      const result =
        task.kind === "refresh" ? { count: values.length } : { values, ...(failures.length ? { failures } : {}) };
      return { kind: "done", result, effects: { values } };
    }
    case "setResp": {
      const failures: string[] = [];
      let code: number | null = null;
      for (const r of resp.value.updatedObjResults) {
        const status = r.operStatus?.operStatus;
        if (status?.case === "operFailure") {
          code ??= status.value.errCode;
          const params = status.value.updatedInstFailures.flatMap((f) =>
            f.paramErrs.map(
              (p) => `${f.affectedPath}${p.param}: ${p.errMsg || uspErrorText(p.errCode)} (${p.errCode})`,
            ),
          );
          failures.push(
            `${r.requestedPath}: ${status.value.errMsg || uspErrorText(status.value.errCode)}${params.length ? ` (${params.join("; ")})` : ""}`,
          );
        }
      }
      if (failures.length) return { kind: "fault", code, message: failures.join("; ") };
      const { values } = TaskArgs.setParameterValues.parse(task.args);
      return { kind: "done", result: { status: 0 }, effects: { values } };
    }
    case "addResp": {
      const r = resp.value.createdObjResults[0]?.operStatus?.operStatus;
      if (r?.case === "operFailure")
        return { kind: "fault", code: r.value.errCode, message: r.value.errMsg || uspErrorText(r.value.errCode) };
      if (r?.case !== "operSuccess") return unexpected(task, "an AddResp without result");
      const path = r.value.instantiatedPath.endsWith(".") ? r.value.instantiatedPath : `${r.value.instantiatedPath}.`;
      const instanceNumber = Number(/(\d+)\.$/.exec(path)?.[1] ?? Number.NaN);
      return {
        kind: "done",
        result: { instanceNumber: Number.isFinite(instanceNumber) ? instanceNumber : null, path, status: 0 },
        effects: { names: [{ name: path, writable: true }] },
      };
    }
    case "deleteResp": {
      const r = resp.value.deletedObjResults[0]?.operStatus?.operStatus;
      if (r?.case === "operFailure")
        return { kind: "fault", code: r.value.errCode, message: r.value.errMsg || uspErrorText(r.value.errCode) };
      const { objectName } = TaskArgs.deleteObject.parse(task.args);
      return { kind: "done", result: { status: 0 }, effects: { deleteUnder: objectName } };
    }
    case "operateResp": {
      const r = resp.value.operationResults[0];
      const op = r?.operationResp;
      if (op?.case === "cmdFailure") {
        return { kind: "fault", code: op.value.errCode, message: op.value.errMsg || uspErrorText(op.value.errCode) };
      }
      if (op?.case === "reqOutputArgs")
        return { kind: "done", result: { outputArgs: op.value.outputArgs }, effects: {} };
      if (op?.case === "reqObjPath")
        return { kind: "await", result: { awaiting: "OperationComplete", request: op.value } };
      return unexpected(task, "an OperateResp without result");
    }
    default:
      return unexpected(task, resp.case ?? "an empty response");
  }
}

function unexpected(task: Pick<Task, "kind">, what: string): UspTaskOutcome {
  return { kind: "fault", code: USP_ERRORS.messageFailed, message: `the agent answered ${what} to ${task.kind}` };
}
