import type { AcsRequest, CpeResponse, Fault } from "@beacon/cwmp";
import { faultText } from "@beacon/cwmp";
import {
  checkoutAnswer,
  checkoutRequest,
  checkoutResult,
  type PreparedCheckout,
} from "../checkout/checkout-networks.ts";
import { followUpReads, type NetworkRead } from "../networks/read-network-map.ts";
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
  /** `args` replaces the in-flight task's arguments when the next request depends on the answers so far. */
  | { kind: "next"; step: number; effects: ParameterEffects; args?: unknown }
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

/** The in-flight arguments of the kinds planned when the session runs them (see prepareTask). */
interface PreparedApply {
  values: { name: string; value: string; type: string }[];
  parameterKey: string;
}

export function taskRequest(task: TaskInFlight, context: TaskContext): AcsRequest {
  switch (task.kind) {
    case "readNetworkMap": {
      const read = (task.args as { reads: NetworkRead[] }).reads[0]!;
      return read.op === "names"
        ? { type: "GetParameterNames", parameterPath: read.path, nextLevel: read.nextLevel }
        : { type: "GetParameterValues", parameterNames: [read.path] };
    }
    case "applySettings": {
      const a = task.args as PreparedApply;
      return { type: "SetParameterValues", parameterList: a.values, parameterKey: a.parameterKey };
    }
    case "checkoutNetworks":
      return checkoutRequest(task.args as PreparedCheckout, task.step);
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
    case "operate":
      throw new Error("operate is a USP command; continue-session.ts faults it before asking for a request");
  }
}

const EXPECTED: Record<TaskKind, CpeResponse["type"] | readonly CpeResponse["type"][]> = {
  getParameterValues: "GetParameterValuesResponse",
  setParameterValues: "SetParameterValuesResponse",
  getParameterNames: "GetParameterNamesResponse",
  refresh: ["GetParameterNamesResponse", "GetParameterValuesResponse"],
  readNetworkMap: "GetParameterValuesResponse",
  applySettings: "SetParameterValuesResponse",
  checkoutNetworks: "SetParameterValuesResponse",
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
  // USP only: continue-session.ts faults such a task before any request.
  operate: [],
};

function expectedType(task: TaskInFlight): CpeResponse["type"] {
  const e = EXPECTED[task.kind];
  return typeof e === "string" ? e : e[task.step]!;
}

const NONE: ParameterEffects = {};

/** One read of the network walk: store what it taught, then the next read (a path the device lacks is skipped). */
function networkReadOutcome(task: TaskInFlight, answer: CpeResponse | Fault): TaskOutcome {
  const [read, ...rest] = (task.args as { reads: NetworkRead[] }).reads;
  let effects: ParameterEffects = NONE;
  if (read && answer.type === "GetParameterNamesResponse") {
    const names = answer.parameterList.map((p) => ({ name: p.name, writable: p.writable }));
    effects = { names, prune: read.nextLevel ? undefined : { path: read.path, keep: names.map((n) => n.name) } };
  } else if (answer.type === "GetParameterValuesResponse") {
    effects = { values: answer.parameterList.map((p) => ({ name: p.name, value: p.value, type: p.type })) };
  }
  let reads = [...rest, ...(read ? followUpReads(read, answer) : [])];
  // The values of a subtree whose names the device did not know would fault the same way.
  if (read?.op === "names" && answer.type === "Fault") reads = reads.filter((r) => r.path !== read.path);
  if (reads.length === 0) return { kind: "done", result: { read: task.step + 1 }, effects };
  return { kind: "next", step: task.step + 1, effects, args: { reads } };
}

/** What the CPE's answer to a task's request means for the task and for the stored parameters. */
export function taskOutcome(task: TaskInFlight, answer: CpeResponse | Fault): TaskOutcome {
  if (task.kind === "readNetworkMap") return networkReadOutcome(task, answer);
  if (task.kind === "checkoutNetworks") {
    const out = checkoutAnswer(task.args as PreparedCheckout, task.step, answer);
    const values =
      answer.type === "GetParameterValuesResponse"
        ? answer.parameterList.map((p) => ({ name: p.name, value: p.value, type: p.type }))
        : out.values;
    if (out.kind === "next") return { kind: "next", step: task.step + 1, effects: { values }, args: out.prepared };
    return { kind: "done", result: checkoutResult(out.prepared), effects: { values } };
  }
  if (task.kind === "applySettings" && answer.type === "SetParameterValuesResponse") {
    const a = task.args as PreparedApply;
    return {
      kind: "done",
      result: { status: answer.status, values: a.values.length },
      effects: { values: a.values.filter((v) => !/(Password|Passphrase|PreSharedKey|Secret|Pwd)$/i.test(v.name)) },
    };
  }
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
