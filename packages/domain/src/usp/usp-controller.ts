import { randomUUID } from "node:crypto";
import type { Db, Prisma, Task } from "@beacon/db";
import {
  errorMsg,
  type Msg,
  msgKind,
  type Notify,
  requestMsg,
  responseMsg,
  USP_ERRORS,
  USP_VERSIONS,
} from "@beacon/usp";
import type { AdmissionSettings } from "../cpe-auth/admission.ts";
import { applyParameterEffects, hasEffects } from "../cwmp/parameter-effects.ts";
import type { SessionHooks } from "../cwmp/session-hooks.ts";
import { type TaskInFlight, taskOutcome } from "../cwmp/task-rpc.ts";
import { completeUspDiagnostic } from "../diagnostics/diagnostics.ts";
import { storeNetworkMap } from "../networks/read-network-map.ts";
import { MAX_ATTEMPTS } from "../tasks/retry-policy.ts";
import { claimNextTask, completeTask, faultTask, mergeTaskResult } from "../tasks/task-queue.ts";
import { BRIDGED_KINDS, bridgedRequest, cwmpAnswerOf, prepareBridgedTask } from "./cwmp-bridge.ts";
import {
  type FirmwareStep,
  firmwareAnswer,
  firmwareBooted,
  firmwareOperationComplete,
  startFirmwareUpgrade,
} from "./usp-firmware.ts";
import { type AgentContact, findUspDevice, registerUspAgent, touchUspAgent } from "./usp-registry.ts";
import { stepOfMsgId, taskIdOfMsgId, taskMsgId, uspTaskOutcome, uspTaskRequest } from "./usp-tasks.ts";

/**
 * Beacon as a USP Controller, independent of the message transfer protocol: apps/usp hands it each Msg an agent
 * sends, with the agent's contact, and sends back the Msgs it returns; it asks nextRequest for a device's next
 * task whenever the agent is reachable. Nothing is kept in memory: a task's Msg names the task (usp-tasks.ts),
 * and Beacon's own requests name their purpose in their msg_id ("deviceinfo:", "subscribe:").
 */

export interface UspControllerSettings {
  /** Beacon's own endpoint id, the to_id agents address (USP_ENDPOINT_ID). */
  endpointId: string;
  admission: AdmissionSettings;
  tenantIdForNewDevices: () => Promise<string>;
  hooks?: SessionHooks;
  /** Seconds an agent has to answer a task's request before it goes back to the queue. */
  answerTimeoutSeconds?: number;
  /** Minutes an asynchronous command may run before its task is failed. */
  operationTimeoutMinutes?: number;
  /** Parameters Beacon asks ValueChange notifications for (the Subscription's ReferenceList). */
  valueChangePaths?: readonly string[];
  /**
   * Where an agent fetches files from Beacon's file server (the CWMP ingress, /files/...), e.g.
   * "http://acs.example.net:7547"; null when unknown (firmware tasks then fail with a sentence).
   */
  fileServerUrl?: (deviceId: string) => string | null;
}

export interface HandledMsg {
  /** Msgs to send back to the agent, in order. */
  replies: Msg[];
  /** The device the agent is, once known: its tasks may be sent now. */
  deviceId: string | null;
  /** Why Beacon refused the agent (admission); the transport closes its connection. */
  rejected?: string;
}

const DEFAULT_VALUE_CHANGE_PATHS = ["Device.DeviceInfo.SoftwareVersion", "Device.WiFi.SSID.*.SSID"];

/** Subscriptions Beacon keeps on every agent (TR-181 Device.LocalAgent.Subscription.{i}.). */
export function beaconSubscriptions(valueChangePaths: readonly string[]) {
  return [
    { id: "beacon-boot", notifType: "Event", referenceList: "Device.Boot!" },
    { id: "beacon-operation-complete", notifType: "OperationComplete", referenceList: "Device." },
    { id: "beacon-value-change", notifType: "ValueChange", referenceList: valueChangePaths.join(",") },
  ];
}

export function createUspController(db: Db, settings: UspControllerSettings) {
  const answerTimeoutMs = (settings.answerTimeoutSeconds ?? 60) * 1000;
  const operationTimeoutMs = (settings.operationTimeoutMinutes ?? 30) * 60_000;
  const subscriptions = beaconSubscriptions(settings.valueChangePaths ?? DEFAULT_VALUE_CHANGE_PATHS);

  async function handleMsg(contact: AgentContact, msg: Msg, now: Date = new Date()): Promise<HandledMsg> {
    const msgId = msg.header?.msgId ?? "";
    const body = msg.body?.msgBody;
    if (body?.case === "request") {
      const request = body.value.reqType;
      if (request.case === "notify") return handleNotify(contact, msgId, request.value, now);
      const known = await findUspDevice(db, contact.endpointId);
      if (request.case === "getSupportedProtocol") {
        return {
          replies: [
            responseMsg(msgId, {
              case: "getSupportedProtocolResp",
              value: { agentSupportedProtocolVersions: [...USP_VERSIONS].reverse().join(",") },
            }),
          ],
          deviceId: known?.id ?? null,
        };
      }
      return {
        replies: [
          errorMsg(msgId, {
            errCode: USP_ERRORS.messageNotSupported,
            errMsg: `Beacon is a Controller and serves no data model (${msgKind(msg)})`,
          }),
        ],
        deviceId: known?.id ?? null,
      };
    }
    // A response or an Error: to a task, to Beacon's own DeviceInfo read, or to its subscriptions.
    const device = await findUspDevice(db, contact.endpointId);
    if (!device) return { replies: [], deviceId: null };
    const taskId = taskIdOfMsgId(msgId);
    const replies: Msg[] = [];
    if (taskId) {
      const next = await finishTask(device.id, taskId, msg, now);
      if (next) replies.push(next);
      // USP has no session end; after each answer is when a CWMP session would have ended (checkouts settle).
      else settings.hooks?.sessionEnded(device.id, now);
    } else if (msgId.startsWith("deviceinfo:")) await storeDeviceInfo(device.id, msg, now);
    return { replies, deviceId: device.id };
  }

  async function handleNotify(contact: AgentContact, msgId: string, notify: Notify, now: Date): Promise<HandledMsg> {
    const replies: Msg[] = [];
    const ack = () => {
      if (notify.sendResp) {
        replies.push(responseMsg(msgId, { case: "notifyResp", value: { subscriptionId: notify.subscriptionId } }));
      }
    };
    const n = notify.notification;
    const onboarding =
      n.case === "onBoardReq" || (n.case === "event" && n.value.eventName === "Boot!" && n.value.objPath === "Device.");
    if (onboarding) {
      const registered = await registerUspAgent(db, {
        contact,
        identity:
          n.case === "onBoardReq"
            ? { oui: n.value.oui, productClass: n.value.productClass, serialNumber: n.value.serialNumber }
            : undefined,
        event:
          n.case === "onBoardReq"
            ? { code: "OnBoardRequest" }
            : { code: "Boot!", commandKey: n.case === "event" ? (n.value.params.CommandKey ?? "") : "" },
        tenantIdForNewDevices: await settings.tenantIdForNewDevices(),
        admission: settings.admission,
        now,
      });
      if (registered.kind === "rejected") {
        return {
          replies: [
            errorMsg(msgId, { errCode: USP_ERRORS.requestDenied, errMsg: `Request denied: ${registered.reason}` }),
          ],
          deviceId: null,
          rejected: registered.reason,
        };
      }
      ack();
      const deviceId = registered.device.id;
      // An agent that went away with a request unanswered gets it again, as a CWMP session start does.
      await requeueUnanswered(deviceId, now);
      replies.push(
        requestMsg(`deviceinfo:${randomUUID()}`, { case: "get", value: { paramPaths: ["Device.DeviceInfo."] } }),
      );
      if (registered.device.created || n.case === "onBoardReq") replies.push(...subscribeRequests());
      if (n.case === "event") {
        // A firmware upgrade waiting for this reboot reads the version the agent runs now.
        const firmware = await firmwareBooted(
          db,
          deviceId,
          { commandKey: n.value.params.CommandKey ?? "", firmwareUpdated: n.value.params.FirmwareUpdated },
          now,
        );
        for (const f of firmware.faults) await faultTask(db, f.task, { code: null, message: f.message }, now);
        replies.push(...firmware.msgs);
      }
      return { replies, deviceId };
    }

    const device = await findUspDevice(db, contact.endpointId);
    if (!device) {
      return {
        replies: [
          errorMsg(msgId, {
            errCode: USP_ERRORS.requestDenied,
            errMsg: "Request denied: unknown agent; it is registered by its Boot! event or an OnBoardRequest",
          }),
        ],
        deviceId: null,
      };
    }
    await touchUspAgent(db, device, contact, now);
    ack();
    switch (n.case) {
      case "valueChange": {
        const values = [{ name: n.value.paramPath, value: n.value.paramValue }];
        await applyParameterEffects(db, device.id, { values }, now);
        settings.hooks?.valuesRead(device.id, values, now);
        break;
      }
      case "event":
        await db.deviceEvent.create({
          data: { deviceId: device.id, code: `${n.value.objPath}${n.value.eventName}`, commandKey: "", at: now },
        });
        break;
      case "objCreation":
        await applyParameterEffects(db, device.id, { names: [{ name: n.value.objPath, writable: true }] }, now);
        break;
      case "objDeletion":
        await applyParameterEffects(db, device.id, { deleteUnder: n.value.objPath }, now);
        break;
      case "operComplete": {
        const next = await operationComplete(device.id, n.value, now);
        if (next) replies.push(next);
        break;
      }
    }
    return { replies, deviceId: device.id };
  }

  function subscribeRequests(): Msg[] {
    return subscriptions.map((s) =>
      requestMsg(`subscribe:${s.id}:${randomUUID()}`, {
        case: "add",
        value: {
          allowPartial: true,
          createObjs: [
            {
              objPath: "Device.LocalAgent.Subscription.",
              paramSettings: [
                { param: "ID", value: s.id, required: true },
                { param: "Enable", value: "true", required: true },
                { param: "NotifType", value: s.notifType, required: true },
                { param: "ReferenceList", value: s.referenceList, required: true },
                { param: "Persistent", value: "true", required: false },
              ],
            },
          ],
        },
      }),
    );
  }

  /** Ends (or advances) the task a response answers; returns the next step's Msg of a multi-step task. */
  async function finishTask(deviceId: string, taskId: string, msg: Msg, now: Date): Promise<Msg | null> {
    const task = await db.task.findFirst({ where: { id: taskId, deviceId, state: "running" } });
    if (!task) return null;
    if (BRIDGED_KINDS.has(task.kind)) return finishBridged(deviceId, task, msg, now);
    if (task.kind === "download") return firmwareStep(deviceId, task, await firmwareAnswer(db, task, msg, now), now);
    const outcome = uspTaskOutcome(task, msg);
    switch (outcome.kind) {
      case "fault":
        await faultTask(db, task, { code: outcome.code, message: outcome.message }, now);
        if (task.kind === "operate") await completeUspDiagnostic(db, task.id, { error: outcome.message }, now);
        return null;
      case "await":
        await mergeTaskResult(db, task.id, outcome.result as Prisma.InputJsonValue);
        return null;
      case "done": {
        await db.$transaction(async (tx) => {
          if (hasEffects(outcome.effects)) await applyParameterEffects(tx, deviceId, outcome.effects, now);
          await completeTask(tx, task.id, outcome.result as Prisma.InputJsonValue, now);
        });
        if (outcome.effects.values?.length) settings.hooks?.valuesRead(deviceId, outcome.effects.values, now);
        const output = (outcome.result as { outputArgs?: Record<string, string> } | null)?.outputArgs;
        if (task.kind === "operate" && output) await completeUspDiagnostic(db, task.id, { outputArgs: output }, now);
        return null;
      }
    }
  }

  async function finishBridged(deviceId: string, task: Task, msg: Msg, now: Date): Promise<Msg | null> {
    const inFlight = (task.result as { inFlight?: TaskInFlight } | null)?.inFlight;
    if (!inFlight || inFlight.step !== stepOfMsgId(msg.header?.msgId ?? "")) return null;
    const request = bridgedRequest(inFlight, "");
    if ("unsupported" in request) return null;
    const answer = cwmpAnswerOf(request.request, msg);
    const outcome = taskOutcome(inFlight, answer);
    if (answer.type === "GetParameterValuesResponse" && outcome.kind !== "fault") {
      settings.hooks?.valuesRead(deviceId, answer.parameterList, now);
    }
    switch (outcome.kind) {
      case "fault":
        await faultTask(db, task, { code: outcome.code, message: outcome.message }, now);
        return null;
      case "done":
        await db.$transaction(async (tx) => {
          await applyParameterEffects(tx, deviceId, outcome.effects, now);
          if (task.kind === "readNetworkMap") await storeNetworkMap(tx, deviceId, "Device", now);
          await completeTask(tx, task.id, outcome.result as Prisma.InputJsonValue, now);
        });
        return null;
      case "next": {
        await applyParameterEffects(db, deviceId, outcome.effects, now);
        const next: TaskInFlight = {
          ...inFlight,
          step: outcome.step,
          ...(outcome.args !== undefined ? { args: outcome.args } : {}),
        };
        const nextRequest = bridgedRequest(next, `${taskMsgId(task)}.${next.step}`);
        if ("unsupported" in nextRequest) {
          await faultTask(db, task, { code: null, message: nextRequest.unsupported }, now);
          return null;
        }
        await mergeTaskResult(db, task.id, { inFlight: next } as unknown as Prisma.InputJsonValue);
        return nextRequest.msg;
      }
      default:
        await faultTask(db, task, { code: null, message: `${task.kind} cannot wait for the agent over USP` }, now);
        return null;
    }
  }

  /** Carries out a firmware upgrade's step (usp-firmware.ts); returns the Msg to send next, if any. */
  async function firmwareStep(deviceId: string, task: Task, step: FirmwareStep, now: Date): Promise<Msg | null> {
    const reported = step.kind === "done" ? step : step.kind === "fault" ? step.reported : undefined;
    const storeReported = async (tx: Prisma.TransactionClient) => {
      if (!reported) return;
      await applyParameterEffects(tx, deviceId, reported.effects, now);
      if (reported.softwareVersion) {
        await tx.device.update({
          where: { id: deviceId },
          data: { softwareVersion: reported.softwareVersion, lastInformAt: now },
        });
      }
    };
    switch (step.kind) {
      case "send":
        return step.msg;
      case "wait":
        return null;
      case "fault":
        await db.$transaction(async (tx) => {
          await storeReported(tx);
          await faultTask(tx, task, { code: step.code, message: step.message }, now);
        });
        return null;
      case "done":
        await db.$transaction(async (tx) => {
          await storeReported(tx);
          await completeTask(tx, task.id, step.result, now);
        });
        return null;
    }
  }

  async function operationComplete(deviceId: string, done: Notify_OperationComplete, now: Date): Promise<Msg | null> {
    const task = await db.task.findFirst({ where: { id: uuidOrNil(done.commandKey), deviceId, state: "running" } });
    if (!task) return null;
    const resp = done.operationResp;
    if (task.kind === "download") {
      const failure = resp.case === "cmdFailure" ? { errCode: resp.value.errCode, errMsg: resp.value.errMsg } : null;
      const step = await firmwareOperationComplete(db, task, { commandName: done.commandName, failure }, now);
      return firmwareStep(deviceId, task, step, now);
    }
    if (resp.case === "cmdFailure") {
      const message = resp.value.errMsg || `command failed (${resp.value.errCode})`;
      await faultTask(db, task, { code: resp.value.errCode, message }, now);
      await completeUspDiagnostic(db, task.id, { error: message }, now);
      return null;
    }
    const outputArgs = resp.case === "reqOutputArgs" ? resp.value.outputArgs : {};
    await completeTask(db, task.id, { outputArgs, command: `${done.objPath}${done.commandName}` }, now);
    await completeUspDiagnostic(db, task.id, { outputArgs }, now);
    return null;
  }

  async function storeDeviceInfo(deviceId: string, msg: Msg, now: Date) {
    const body = msg.body?.msgBody;
    if (body?.case !== "response" || body.value.respType.case !== "getResp") return;
    const values: { name: string; value: string }[] = [];
    for (const r of body.value.respType.value.reqPathResults) {
      for (const resolved of r.resolvedPathResults) {
        for (const [name, value] of Object.entries(resolved.resultParams)) {
          values.push({ name: `${resolved.resolvedPath}${name}`, value });
        }
      }
    }
    const info = (name: string) => values.find((v) => v.name === `Device.DeviceInfo.${name}`)?.value || null;
    await fillIdentity(deviceId, info);
    const device = await db.device.update({
      where: { id: deviceId },
      data: {
        dataModelRoot: "Device",
        ...(info("Manufacturer") ? { manufacturer: info("Manufacturer")! } : {}),
        ...(info("ModelName") ? { modelName: info("ModelName") } : {}),
        ...(info("SoftwareVersion") ? { softwareVersion: info("SoftwareVersion") } : {}),
        ...(info("HardwareVersion") ? { hardwareVersion: info("HardwareVersion") } : {}),
      },
      select: {
        id: true,
        oui: true,
        productClass: true,
        serialNumber: true,
        manufacturer: true,
        provisionedAt: true,
        firstInformAt: true,
      },
    });
    await applyParameterEffects(db, deviceId, { values }, now);
    // Provisioning, monitoring and templates see a USP device's DeviceInfo as they see a CWMP Inform.
    await settings.hooks?.informStored({
      deviceId,
      created: device.provisionedAt === null,
      provisionedAt: device.provisionedAt,
      facts: {
        manufacturer: device.manufacturer,
        oui: device.oui,
        productClass: device.productClass,
        serialNumber: device.serialNumber,
        events: [],
        parameters: values,
      },
      now,
    });
  }

  /** An endpoint id such as "proto::x" names no OUI or product class: DeviceInfo fills them in when free. */
  async function fillIdentity(deviceId: string, info: (name: string) => string | null) {
    const device = await db.device.findUniqueOrThrow({
      where: { id: deviceId },
      select: { oui: true, productClass: true },
    });
    const oui = device.oui || info("ManufacturerOUI");
    const productClass = device.productClass || info("ProductClass");
    if (oui === device.oui && productClass === device.productClass) return;
    try {
      await db.device.update({ where: { id: deviceId }, data: { oui: oui ?? "", productClass: productClass ?? "" } });
    } catch (error) {
      if ((error as { code?: string }).code !== "P2002") throw error;
    }
  }

  /**
   * Claims the device's next task and returns its Msg, or null when there is none or one is still unanswered.
   * Tasks USP cannot carry are faulted with a sentence on the way.
   */
  async function nextRequest(deviceId: string, now: Date = new Date()): Promise<Msg | null> {
    const inFlight = await db.$queryRaw<{ id: string }[]>`
      SELECT "id" FROM "Task" WHERE "deviceId" = ${deviceId}::uuid AND "state" = 'running'
        AND NOT ("result" IS NOT NULL AND jsonb_exists("result", 'awaiting'))
      LIMIT 1`;
    if (inFlight.length) return null;
    for (;;) {
      const task = await claimNextTask(db, deviceId, now);
      if (!task) return null;
      if (BRIDGED_KINDS.has(task.kind)) {
        const prepared = await db.$transaction((tx) => prepareBridgedTask(tx, deviceId, task));
        if ("complete" in prepared) {
          await completeTask(db, task.id, prepared.complete as Prisma.InputJsonValue, now);
          continue;
        }
        const bridged = bridgedRequest(prepared.inFlight, `${taskMsgId(task)}.0`);
        if ("unsupported" in bridged) {
          await faultTask(db, task, { code: null, message: bridged.unsupported }, now);
          continue;
        }
        await mergeTaskResult(db, task.id, { inFlight: prepared.inFlight } as unknown as Prisma.InputJsonValue);
        return bridged.msg;
      }
      const request =
        task.kind === "download"
          ? await startFirmwareUpgrade(db, task, settings.fileServerUrl?.(deviceId) ?? null)
          : uspTaskRequest(task);
      if ("msg" in request) return request.msg;
      await faultTask(db, task, { code: null, message: request.unsupported }, now);
    }
  }

  /** Devices with due tasks among `deviceIds` (WebSocket agents connected here) and every MQTT agent. */
  async function devicesWithDueTasks(connected: readonly string[], now: Date = new Date()): Promise<string[]> {
    const rows = await db.$queryRaw<{ deviceId: string }[]>`
      SELECT DISTINCT t."deviceId" FROM "Task" t JOIN "Device" d ON d."id" = t."deviceId"
      WHERE t."state" = 'pending' AND t."notBefore" <= ${now}::timestamptz
        AND d."protocol" = 'usp'
        AND (d."id" = ANY(${connected}::uuid[]) OR d."uspMtp" IN ('mqtt5', 'mqtt3'))
      LIMIT 500`;
    return rows.map((r) => r.deviceId);
  }

  /** Requests an agent never answered go back to the queue (or fail after MAX_ATTEMPTS); stuck commands fail. */
  async function sweep(now: Date = new Date()) {
    const unanswered = new Date(now.getTime() - answerTimeoutMs);
    const stuck = new Date(now.getTime() - operationTimeoutMs);
    await db.$executeRaw`
      UPDATE "Task" t SET
        "state" = CASE WHEN t."attempts" >= ${MAX_ATTEMPTS}::int THEN 'fault'::"TaskState" ELSE 'pending'::"TaskState" END,
        "faultString" = CASE WHEN t."attempts" >= ${MAX_ATTEMPTS}::int THEN 'the agent did not answer ' || t."attempts" || ' times' ELSE t."faultString" END,
        "finishedAt" = CASE WHEN t."attempts" >= ${MAX_ATTEMPTS}::int THEN ${now}::timestamptz ELSE NULL END
      FROM "Device" d
      WHERE d."id" = t."deviceId" AND d."protocol" = 'usp' AND t."state" = 'running' AND t."startedAt" < ${unanswered}::timestamptz
        AND NOT (t."result" IS NOT NULL AND jsonb_exists(t."result", 'awaiting'))`;
    // A firmware download may take as long as its task lives (a campaign's download timeout), not 30 minutes.
    await db.$executeRaw`
      UPDATE "Task" t SET "state" = 'fault', "finishedAt" = ${now}::timestamptz,
        "faultString" = CASE WHEN t."kind" = 'download'
          THEN 'the agent did not come back on the new firmware in time' ELSE 'the agent reported no OperationComplete' END
      FROM "Device" d
      WHERE d."id" = t."deviceId" AND d."protocol" = 'usp' AND t."state" = 'running'
        AND CASE WHEN t."kind" = 'download' AND t."expiresAt" IS NOT NULL
          THEN t."expiresAt" < ${now}::timestamptz ELSE t."startedAt" < ${stuck}::timestamptz END`;
  }

  async function requeueUnanswered(deviceId: string, now: Date) {
    await db.$executeRaw`
      UPDATE "Task" t SET
        "state" = CASE WHEN t."attempts" >= ${MAX_ATTEMPTS}::int THEN 'fault'::"TaskState" ELSE 'pending'::"TaskState" END,
        "faultString" = CASE WHEN t."attempts" >= ${MAX_ATTEMPTS}::int THEN 'interrupted ' || t."attempts" || ' times' ELSE t."faultString" END,
        "finishedAt" = CASE WHEN t."attempts" >= ${MAX_ATTEMPTS}::int THEN ${now}::timestamptz ELSE NULL END
      WHERE t."deviceId" = ${deviceId}::uuid AND t."state" = 'running'
        AND NOT (t."result" IS NOT NULL AND jsonb_exists(t."result", 'awaiting'))`;
  }

  /** A task claimed for an agent that turned out unreachable goes back to the queue as it was. */
  async function unclaim(taskId: string) {
    await db.$executeRaw`
      UPDATE "Task" SET "state" = 'pending', "startedAt" = NULL, "attempts" = GREATEST("attempts" - 1, 0)
      WHERE "id" = ${taskId}::uuid AND "state" = 'running'`;
  }

  /**
   * The agent connected again: a request it had not answered when its connection went is lost with it, so its
   * task goes back to the queue (as a CWMP session start requeues an interrupted session's task).
   */
  async function agentReturned(deviceId: string, now: Date = new Date()) {
    await requeueUnanswered(deviceId, now);
  }

  return { handleMsg, nextRequest, devicesWithDueTasks, sweep, unclaim, agentReturned };
}

export type UspController = ReturnType<typeof createUspController>;

type Notify_OperationComplete = Extract<Notify["notification"], { case: "operComplete" }>["value"];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function uuidOrNil(value: string): string {
  return UUID.test(value) ? value : "00000000-0000-0000-0000-000000000000";
}
