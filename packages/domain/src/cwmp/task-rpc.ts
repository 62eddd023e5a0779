import type { AcsRequest, CpeResponse, Fault } from "@beacon/cwmp";
import { faultText } from "@beacon/cwmp";
import { isCpeCredentialParameter } from "../secrets/secret-parameters.ts";
import { TaskArgs, type TaskArgsOf, type TaskKind } from "../tasks/task-kinds.ts";
import type { ParameterEffects } from "./parameter-effects.ts";

/**
 * Each task kind as CWMP: the request(s) it sends and what each answer means. Pure: the session engine does
 * the I/O. Most kinds are one request; "refresh" is GetParameterNames then GetParameterValues.
 */

export interface TaskInFlight {
  id: string;
  kind: TaskKind;
  args: unknown;
  /** Which request of the task this is, from 0. */
  step: number;
}

export interface TaskContext {
  /** "InternetGatewayDevice" or "Device", when known. */
  dataModelRoot: string | null;
  /** For download and upload: where the CPE fetches or puts the file. */
  transfer?: { url: string; fileType: string; fileSize: number; targetFileName: string };
}

export type TaskOutcome =
  | { kind: "done"; result: unknown; effects: ParameterEffects }
  | { kind: "next"; step: number; effects: ParameterEffects }
  /** Accepted; the CPE reports the end later (TransferComplete, its M Reboot Inform), maybe sessions later. */
  | { kind: "awaitCpe"; result: unknown }
  | { kind: "fault"; code: number | null; message: string };

/** TR-069 limits CommandKey to 32 characters: a task id without dashes fits and finds the task again. */
export function commandKeyOf(taskId: string): string {
  return taskId.replace(/-/g, "");
}

export function taskIdFromCommandKey(commandKey: string): string | null {
  if (!/^[0-9a-f]{32}$/i.test(commandKey)) return null;
  const k = commandKey.toLowerCase();
  return `${k.slice(0, 8)}-${k.slice(8, 12)}-${k.slice(12, 16)}-${k.slice(16, 20)}-${k.slice(20)}`;
}

function argsOf<K extends TaskKind>(kind: K, task: TaskInFlight): TaskArgsOf<K> {
  return TaskArgs[kind].parse(task.args) as TaskArgsOf<K>;
}

/** The whole-device path for GetParameterValues, which takes no empty name. */
function subtree(path: string, root: string | null): string {
  if (path) return path;
  return root ? `${root}.` : "";
}

export function taskRequest(task: TaskInFlight, context: TaskContext): AcsRequest {
  switch (task.kind) {
    case "getParameterValues":
      return { type: "GetParameterValues", parameterNames: argsOf("getParameterValues", task).names };
    case "setParameterValues": {
      const a = argsOf("setParameterValues", task);
      return {
        type: "SetParameterValues",
        parameterList: a.values.map((v) => (v.type ? { name: v.name, value: v.value, type: v.type } : v)),
        parameterKey: a.parameterKey ?? "",
      };
    }
    case "getParameterNames": {
      const a = argsOf("getParameterNames", task);
      return { type: "GetParameterNames", parameterPath: a.path, nextLevel: a.nextLevel };
    }
    case "refresh": {
      const { path } = argsOf("refresh", task);
      return task.step === 0
        ? { type: "GetParameterNames", parameterPath: path, nextLevel: false }
        : { type: "GetParameterValues", parameterNames: [subtree(path, context.dataModelRoot)] };
    }
    case "getParameterAttributes":
      return { type: "GetParameterAttributes", parameterNames: argsOf("getParameterAttributes", task).names };
    case "setParameterAttributes":
      return {
        type: "SetParameterAttributes",
        parameterList: argsOf("setParameterAttributes", task).parameters.map((p) => ({
          name: p.name,
          notificationChange: p.notification !== undefined,
          notification: p.notification ?? 0,
          accessListChange: p.accessList !== undefined,
          accessList: p.accessList ?? [],
        })),
      };
    case "addObject": {
      const a = argsOf("addObject", task);
      return { type: "AddObject", objectName: a.objectName, parameterKey: a.parameterKey ?? "" };
    }
    case "deleteObject": {
      const a = argsOf("deleteObject", task);
      return { type: "DeleteObject", objectName: a.objectName, parameterKey: a.parameterKey ?? "" };
    }
    case "reboot":
      return { type: "Reboot", commandKey: argsOf("reboot", task).commandKey ?? commandKeyOf(task.id) };
    case "factoryReset":
      return { type: "FactoryReset" };
    case "scheduleInform": {
      const a = argsOf("scheduleInform", task);
      return {
        type: "ScheduleInform",
        delaySeconds: a.delaySeconds,
        commandKey: a.commandKey ?? commandKeyOf(task.id),
      };
    }
    case "getRPCMethods":
      return { type: "GetRPCMethods" };
    case "download": {
      const a = argsOf("download", task);
      const t = context.transfer;
      return {
        type: "Download",
        commandKey: commandKeyOf(task.id),
        fileType: a.fileType ?? t?.fileType ?? "1 Firmware Upgrade Image",
        url: a.url ?? t?.url ?? "",
        username: a.username ?? "",
        password: a.password ?? "",
        fileSize: a.fileSize ?? t?.fileSize ?? 0,
        targetFileName: a.targetFileName ?? t?.targetFileName ?? "",
        delaySeconds: a.delaySeconds,
        successUrl: "",
        failureUrl: "",
      };
    }
    case "scheduleDownload": {
      const a = argsOf("scheduleDownload", task);
      const t = context.transfer;
      return {
        type: "ScheduleDownload",
        commandKey: commandKeyOf(task.id),
        fileType: a.fileType ?? t?.fileType ?? "1 Firmware Upgrade Image",
        url: a.url ?? t?.url ?? "",
        username: a.username ?? "",
        password: a.password ?? "",
        fileSize: a.fileSize ?? t?.fileSize ?? 0,
        targetFileName: a.targetFileName ?? t?.targetFileName ?? "",
        timeWindowList: a.timeWindows,
      };
    }
    case "cancelTransfer": {
      const a = argsOf("cancelTransfer", task);
      return { type: "CancelTransfer", commandKey: a.commandKey ?? commandKeyOf(a.taskId ?? "") };
    }
    case "getQueuedTransfers":
      return { type: "GetQueuedTransfers" };
    case "getAllQueuedTransfers":
      return { type: "GetAllQueuedTransfers" };
    case "changeDUState":
      return {
        type: "ChangeDUState",
        operations: argsOf("changeDUState", task).operations,
        commandKey: commandKeyOf(task.id),
      };
    case "upload": {
      const a = argsOf("upload", task);
      return {
        type: "Upload",
        commandKey: commandKeyOf(task.id),
        fileType: a.fileType,
        url: context.transfer?.url ?? "",
        username: "",
        password: "",
        delaySeconds: a.delaySeconds,
      };
    }
  }
}

const EXPECTED: Record<TaskKind, CpeResponse["type"] | readonly CpeResponse["type"][]> = {
  getParameterValues: "GetParameterValuesResponse",
  setParameterValues: "SetParameterValuesResponse",
  getParameterNames: "GetParameterNamesResponse",
  refresh: ["GetParameterNamesResponse", "GetParameterValuesResponse"],
  getParameterAttributes: "GetParameterAttributesResponse",
  setParameterAttributes: "SetParameterAttributesResponse",
  addObject: "AddObjectResponse",
  deleteObject: "DeleteObjectResponse",
  reboot: "RebootResponse",
  factoryReset: "FactoryResetResponse",
  scheduleInform: "ScheduleInformResponse",
  getRPCMethods: "GetRPCMethodsResponse",
  download: "DownloadResponse",
  upload: "UploadResponse",
  scheduleDownload: "ScheduleDownloadResponse",
  cancelTransfer: "CancelTransferResponse",
  getQueuedTransfers: "GetQueuedTransfersResponse",
  getAllQueuedTransfers: "GetAllQueuedTransfersResponse",
  changeDUState: "ChangeDUStateResponse",
};

function expectedType(task: TaskInFlight): CpeResponse["type"] {
  const e = EXPECTED[task.kind];
  return typeof e === "string" ? e : e[task.step]!;
}

const NONE: ParameterEffects = {};

/** What the CPE's answer to a task's request means for the task and for the stored parameters. */
export function taskOutcome(task: TaskInFlight, answer: CpeResponse | Fault): TaskOutcome {
  if (answer.type === "Fault") {
    const detail = answer.setParameterValuesFault?.map(
      (f) => `${f.parameterName}: ${f.faultString || faultText(f.faultCode)} (${f.faultCode})`,
    );
    const text = answer.faultString || faultText(answer.faultCode);
    return { kind: "fault", code: answer.faultCode, message: detail?.length ? `${text}; ${detail.join("; ")}` : text };
  }
  const expected = expectedType(task);
  if (answer.type !== expected) {
    return {
      kind: "fault",
      code: null,
      message: `the CPE answered ${answer.type} to ${expected.replace(/Response$/, "")}`,
    };
  }
  switch (answer.type) {
    case "GetParameterValuesResponse": {
      const values = answer.parameterList.map((p) => ({ name: p.name, value: p.value, type: p.type }));
      // A refresh can read thousands of values; they live in DeviceParameter, the task only counts them.
      // The CPE's own passwords are never kept, not even in a task's result.
      const kept = answer.parameterList.map((p) => (isCpeCredentialParameter(p.name) ? { ...p, value: null } : p));
      const result = task.kind === "refresh" ? { count: values.length } : { values: kept };
      return { kind: "done", result, effects: { values } };
    }
    case "SetParameterValuesResponse": {
      const a = argsOf("setParameterValues", task);
      return { kind: "done", result: { status: answer.status }, effects: { values: a.values } };
    }
    case "GetParameterNamesResponse": {
      const names = answer.parameterList.map((p) => ({ name: p.name, writable: p.writable }));
      const path = task.kind === "refresh" ? argsOf("refresh", task).path : argsOf("getParameterNames", task).path;
      const wholeSubtree = task.kind === "refresh" || !argsOf("getParameterNames", task).nextLevel;
      const effects: ParameterEffects = {
        names,
        prune: wholeSubtree ? { path, keep: names.map((n) => n.name) } : undefined,
      };
      if (task.kind === "refresh") return { kind: "next", step: 1, effects };
      return { kind: "done", result: { count: names.length }, effects };
    }
    case "GetParameterAttributesResponse":
      return { kind: "done", result: { parameters: answer.parameterList }, effects: NONE };
    case "AddObjectResponse": {
      const { objectName } = argsOf("addObject", task);
      return {
        kind: "done",
        result: { instanceNumber: answer.instanceNumber, status: answer.status },
        effects: { names: [{ name: `${objectName}${answer.instanceNumber}.`, writable: true }] },
      };
    }
    case "DeleteObjectResponse":
      return {
        kind: "done",
        result: { status: answer.status },
        effects: { deleteUnder: argsOf("deleteObject", task).objectName },
      };
    case "GetRPCMethodsResponse":
      return { kind: "done", result: { methods: answer.methodList }, effects: NONE };
    case "DownloadResponse":
    case "UploadResponse":
      // Status 0: done already (and no TransferComplete follows); 1: TransferComplete will say (TR-069 A.3.2.8).
      return answer.status === 0
        ? { kind: "done", result: { startTime: answer.startTime, completeTime: answer.completeTime }, effects: NONE }
        : { kind: "awaitCpe", result: { awaiting: "TransferComplete" } };
    case "ScheduleDownloadResponse":
      return { kind: "awaitCpe", result: { awaiting: "TransferComplete" } };
    case "ChangeDUStateResponse":
      return { kind: "awaitCpe", result: { awaiting: "DUStateChangeComplete" } };
    case "RebootResponse":
      // Done when the device is back: its "M Reboot" Inform (open-session.ts) ends the task.
      return { kind: "awaitCpe", result: { awaiting: "M Reboot" } };
    case "GetQueuedTransfersResponse":
    case "GetAllQueuedTransfersResponse":
      return { kind: "done", result: { transfers: answer.transferList }, effects: NONE };
    default:
      return { kind: "done", result: null, effects: NONE };
  }
}
