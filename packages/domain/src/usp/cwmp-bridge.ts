import type { AcsRequest, CpeResponse, Fault } from "@beacon/cwmp";
import type { Prisma } from "@beacon/db";
import { type Msg, type RequestInit, type RequestKind, requestMsg, uspErrorText } from "@beacon/usp";
import { prepareCheckoutNetworks } from "../checkout/checkout-networks.ts";
import { type TaskInFlight, taskRequest } from "../cwmp/task-rpc.ts";
import { initialNetworkReads } from "../networks/read-network-map.ts";
import type { TaskArgsOf, TaskKind } from "../tasks/task-kinds.ts";
import { prepareApplySettings } from "../templates/late-apply.ts";
import { loadMappings, type MappingSet } from "../templates/mappings.ts";

/**
 * Tasks planned from the device's network map (readNetworkMap, applySettings, checkoutNetworks) are the same work
 * over USP as over CWMP: the CWMP planner (task-rpc.ts, checkout-networks.ts) decides each step, and this file
 * carries its GetParameterValues / GetParameterNames / SetParameterValues as USP Get and Set and the agent's
 * answers back as CWMP responses. The step in flight lives in the task's result ("inFlight"), not in memory.
 */
export const BRIDGED_KINDS: ReadonlySet<string> = new Set<TaskKind>([
  "readNetworkMap",
  "applySettings",
  "checkoutNetworks",
]);

let mappingSet: MappingSet | undefined;

export async function prepareBridgedTask(
  tx: Prisma.TransactionClient,
  deviceId: string,
  task: { id: string; kind: string; args: unknown },
): Promise<{ inFlight: TaskInFlight } | { complete: unknown }> {
  mappingSet ??= loadMappings();
  switch (task.kind) {
    case "readNetworkMap": {
      const reads = (task.args as { reads?: unknown[] }).reads;
      return {
        inFlight: {
          id: task.id,
          kind: "readNetworkMap",
          args: { reads: reads?.length ? reads : initialNetworkReads("Device") },
          step: 0,
        },
      };
    }
    case "applySettings": {
      const args = task.args as TaskArgsOf<"applySettings">;
      const planned = await prepareApplySettings(tx, deviceId, task.id, args, mappingSet);
      if (planned.values.length === 0) return { complete: { values: 0, skipped: planned.skipped } };
      return {
        inFlight: {
          id: task.id,
          kind: "applySettings",
          args: { values: planned.values, parameterKey: args.parameterKey ?? "" },
          step: 0,
        },
      };
    }
    default: {
      const args = task.args as TaskArgsOf<"checkoutNetworks">;
      const prepared = await prepareCheckoutNetworks(tx, deviceId, args, mappingSet);
      if (prepared.steps.length === 0)
        return { complete: { networks: prepared.outcomes ?? [], notes: prepared.notes } };
      return { inFlight: { id: task.id, kind: "checkoutNetworks", args: prepared, step: 0 } };
    }
  }
}

/** The USP Msg for the CWMP request of the step in flight. */
export function bridgedRequest(
  inFlight: TaskInFlight,
  msgId: string,
): { msg: Msg; request: AcsRequest } | { unsupported: string } {
  const request = taskRequest(inFlight, { dataModelRoot: "Device" });
  const body = uspBodyOf(request);
  if (!body) return { unsupported: `${request.type} has no USP equivalent here` };
  return { msg: requestMsg(msgId, body as RequestInit & { case: RequestKind }), request };
}

function uspBodyOf(request: AcsRequest): RequestInit | null {
  switch (request.type) {
    case "GetParameterValues":
      return { case: "get", value: { paramPaths: [...request.parameterNames] } };
    case "GetParameterNames":
      return { case: "get", value: { paramPaths: [request.parameterPath || "Device."] } };
    case "SetParameterValues": {
      const byObject = new Map<string, { param: string; value: string; required: boolean }[]>();
      for (const p of request.parameterList) {
        const dot = p.name.lastIndexOf(".");
        const list = byObject.get(p.name.slice(0, dot + 1)) ?? [];
        list.push({ param: p.name.slice(dot + 1), value: String(p.value), required: true });
        byObject.set(p.name.slice(0, dot + 1), list);
      }
      return {
        case: "set",
        value: {
          allowPartial: false,
          updateObjs: [...byObject].map(([objPath, paramSettings]) => ({ objPath, paramSettings })),
        },
      };
    }
    default:
      return null;
  }
}

/** The agent's answer as the CWMP response the planner expects. USP error codes stay as they are. */
export function cwmpAnswerOf(request: AcsRequest, msg: Msg): CpeResponse | Fault {
  const body = msg.body?.msgBody;
  if (body?.case === "error") {
    return {
      type: "Fault",
      faultCode: body.value.errCode,
      faultString: body.value.errMsg || uspErrorText(body.value.errCode),
      ...(body.value.paramErrs.length
        ? {
            setParameterValuesFault: body.value.paramErrs.map((p) => ({
              parameterName: p.paramPath,
              faultCode: p.errCode,
              faultString: p.errMsg || uspErrorText(p.errCode),
            })),
          }
        : {}),
    };
  }
  const resp = body?.case === "response" ? body.value.respType : undefined;
  if (resp?.case === "getResp") {
    const values: { name: string; value: string; type: string }[] = [];
    for (const r of resp.value.reqPathResults) {
      for (const resolved of r.resolvedPathResults) {
        for (const [name, value] of Object.entries(resolved.resultParams)) {
          values.push({ name: `${resolved.resolvedPath}${name}`, value, type: "xsd:string" });
        }
      }
    }
    const failed = resp.value.reqPathResults.find((r) => r.errCode);
    if (failed && !values.length) {
      return { type: "Fault", faultCode: failed.errCode, faultString: failed.errMsg || uspErrorText(failed.errCode) };
    }
    if (request.type === "GetParameterNames") {
      const objects = new Set<string>();
      for (const v of values) {
        const parts = v.name.split(".");
        for (let i = 1; i < parts.length - 1; i++) objects.add(`${parts.slice(0, i + 1).join(".")}.`);
      }
      return {
        type: "GetParameterNamesResponse",
        parameterList: [
          ...[...objects].map((name) => ({ name, writable: false })),
          ...values.map((v) => ({ name: v.name, writable: true })),
        ],
      };
    }
    return { type: "GetParameterValuesResponse", parameterList: values };
  }
  if (resp?.case === "setResp") {
    const failure = resp.value.updatedObjResults.find((r) => r.operStatus?.operStatus.case === "operFailure");
    const status = failure?.operStatus?.operStatus;
    if (status?.case === "operFailure") {
      return {
        type: "Fault",
        faultCode: status.value.errCode,
        faultString: status.value.errMsg || uspErrorText(status.value.errCode),
      };
    }
    return { type: "SetParameterValuesResponse", status: 0 };
  }
  return {
    type: "Fault",
    faultCode: 7000,
    faultString: `the agent answered ${resp?.case ?? "nothing"} to ${request.type}`,
  };
}
