import type { AcsResponse, CpeRequest, DUStateChangeComplete, Fault, TransferComplete } from "@beacon/cwmp";
import { faultText } from "@beacon/cwmp";
import type { Prisma } from "@beacon/db";
import { completeTask, faultTask } from "../tasks/task-queue.ts";
import { taskIdFromCommandKey } from "./task-rpc.ts";

type Sql = Pick<Prisma.TransactionClient, "$queryRaw" | "$executeRaw">;

/** RPCs the ACS implements (TR-069 A.3.1 Table A.3, "ACS methods"). */
export const ACS_METHODS = [
  "Inform",
  "GetRPCMethods",
  "TransferComplete",
  "AutonomousTransferComplete",
  "RequestDownload",
  "DUStateChangeComplete",
  "AutonomousDUStateChangeComplete",
  "Kicked",
];

/** The answer to a request the CPE makes during its half of the session (everything but Inform). */
export async function answerCpeRequest(
  sql: Sql,
  deviceId: string,
  request: Exclude<CpeRequest, { type: "Inform" }>,
  now: Date,
): Promise<AcsResponse | Fault> {
  switch (request.type) {
    case "TransferComplete":
      await closeTransferTask(sql, deviceId, request, now);
      return { type: "TransferCompleteResponse" };
    case "AutonomousTransferComplete":
      return { type: "AutonomousTransferCompleteResponse" };
    case "GetRPCMethods":
      return { type: "GetRPCMethodsResponse", methodList: ACS_METHODS };
    case "RequestDownload":
      return { type: "RequestDownloadResponse" };
    case "DUStateChangeComplete":
      await closeDuStateChangeTask(sql, deviceId, request, now);
      return { type: "DUStateChangeCompleteResponse" };
    case "AutonomousDUStateChangeComplete":
      return { type: "AutonomousDUStateChangeCompleteResponse" };
    case "Kicked":
      return { type: "KickedResponse", nextUrl: request.next };
  }
}

/**
 * TransferComplete names the task through its CommandKey (the task id, see commandKeyOf); FaultCode 0 is
 * success, 9010-9019 say what went wrong (TR-069 A.3.3.2).
 */
async function closeTransferTask(sql: Sql, deviceId: string, message: TransferComplete, now: Date) {
  const taskId = taskIdFromCommandKey(message.commandKey);
  if (!taskId) return;
  const rows = await sql.$queryRaw<{ id: string; attempts: number; result: Prisma.JsonValue }[]>`
    SELECT "id", "attempts", "result" FROM "Task"
    WHERE "id" = ${taskId}::uuid AND "deviceId" = ${deviceId}::uuid AND "kind" IN ('download', 'upload', 'scheduleDownload')
      AND "state" = 'running'
    FOR UPDATE`;
  const task = rows[0];
  if (!task) return;
  const { faultCode, faultString } = message.faultStruct;
  if (faultCode === 0) {
    const kept = { ...(asObject(task.result) ?? {}) };
    delete kept.awaiting;
    delete kept.transferToken;
    await completeTask(
      sql,
      task.id,
      { ...kept, startTime: message.startTime, completeTime: message.completeTime },
      now,
    );
    return;
  }
  await faultTask(sql, task, { code: faultCode, message: faultString || faultText(faultCode) }, now);
}

/** DUStateChangeComplete names its ChangeDUState task by CommandKey; any failed operation faults the task. */
async function closeDuStateChangeTask(sql: Sql, deviceId: string, message: DUStateChangeComplete, now: Date) {
  const taskId = taskIdFromCommandKey(message.commandKey);
  if (!taskId) return;
  const rows = await sql.$queryRaw<{ id: string; attempts: number }[]>`
    SELECT "id", "attempts" FROM "Task"
    WHERE "id" = ${taskId}::uuid AND "deviceId" = ${deviceId}::uuid AND "kind" = 'changeDUState' AND "state" = 'running'
    FOR UPDATE`;
  const task = rows[0];
  if (!task) return;
  const failed = message.results.find((r) => r.fault.faultCode !== 0);
  if (failed) {
    await faultTask(
      sql,
      task,
      { code: failed.fault.faultCode, message: failed.fault.faultString || faultText(failed.fault.faultCode) },
      now,
    );
    return;
  }
  const results = message.results.map((r) => ({
    uuid: r.uuid,
    version: r.version,
    currentState: r.currentState,
    deploymentUnitRef: r.deploymentUnitRef,
    completeTime: r.completeTime,
  }));
  await completeTask(sql, task.id, { results }, now);
}

function asObject(value: Prisma.JsonValue | undefined): Record<string, Prisma.JsonValue> | null {
  return value && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, Prisma.JsonValue>)
    : null;
}
