import type { Db, Prisma, Task } from "@beacon/db";
import { type Msg, requestMsg, uspErrorText } from "@beacon/usp";
import type { ParameterEffects } from "../cwmp/parameter-effects.ts";
import { downloadUrl, newTransferToken } from "../files/transfer-urls.ts";
import { TaskArgs } from "../tasks/task-kinds.ts";
import { stepOfMsgId, taskMsgId } from "./usp-tasks.ts";

/**
 * A "download" task (firmware, from a campaign or the device page) over USP, after TR-181
 * Device.DeviceInfo.FirmwareImage.{i} and TR-369 Appendix "Firmware Management of Devices with USP Agents":
 *
 *   0 read      Get FirmwareImage. and ActiveFirmwareImage: which image runs, which bank is free
 *   1 download  Operate FirmwareImage.{i}.Download() (asynchronous): a spare bank on a multi-image agent, with
 *               AutoActivate false; the only image of a single-image agent, with AutoActivate true
 *   2 activate  after the Download's OperationComplete, Operate FirmwareImage.{i}.Activate() (multi-image agents)
 *   3 verify    after the agent's Boot! event, Get DeviceInfo.SoftwareVersion: the version it runs now
 *
 * The task ends only with step 3, so "done" means the agent reported a version after its reboot, never that a
 * command was accepted; a known target version that does not come back is a fault. What the task waits for is
 * kept in its result ("upgrade", and "awaiting" while the agent works on its own), so any process can go on.
 */

export const FIRMWARE_IMAGES = "Device.DeviceInfo.FirmwareImage.";
const ACTIVE_IMAGE = "Device.DeviceInfo.ActiveFirmwareImage";
const SOFTWARE_VERSION = "Device.DeviceInfo.SoftwareVersion";

type Phase = "reading" | "downloading" | "activating" | "rebooting" | "verifying";
const STEP: Record<Phase, number> = { reading: 0, downloading: 1, activating: 2, rebooting: 2, verifying: 3 };

export interface FirmwareUpgrade {
  phase: Phase;
  url: string;
  fileSize: number;
  sha256: string | null;
  /** The version the image carries, when the library knows it: the agent must come back on it. */
  expectedVersion: string | null;
  /** The FirmwareImage instance downloaded into, "Device.DeviceInfo.FirmwareImage.2.". */
  image?: string;
  autoActivate?: boolean;
  downloadedAt?: string;
  bootedAt?: string;
  firmwareUpdated?: boolean | null;
}

export type FirmwareStep =
  | { kind: "send"; msg: Msg }
  | { kind: "wait" }
  /** `reported`: what the agent said it runs now, stored even though the upgrade failed. */
  | {
      kind: "fault";
      code: number | null;
      message: string;
      reported?: { effects: ParameterEffects; softwareVersion: string | null };
    }
  | { kind: "done"; result: Prisma.InputJsonValue; effects: ParameterEffects; softwareVersion: string | null };

function upgradeOf(task: Pick<Task, "result">): FirmwareUpgrade | null {
  return (task.result as { upgrade?: FirmwareUpgrade } | null)?.upgrade ?? null;
}

/** The step's msg_id: "task:<id>:<attempt>.<step>", so a late answer to an earlier step is told apart. */
function msgIdOf(task: Pick<Task, "id" | "attempts">, phase: Phase): string {
  return `${taskMsgId(task)}.${STEP[phase]}`;
}

/** Stores the upgrade's new state; `awaiting` set while the agent works on its own (no answer outstanding). */
async function saveUpgrade(
  db: Prisma.TransactionClient | Db,
  taskId: string,
  upgrade: FirmwareUpgrade,
  awaiting?: string,
) {
  await db.$executeRaw`
    UPDATE "Task" SET "result" = (COALESCE("result", '{}'::jsonb) - 'awaiting')
      || ${JSON.stringify({ upgrade, ...(awaiting ? { awaiting } : {}) })}::jsonb
    WHERE "id" = ${taskId}::uuid`;
}

/**
 * Step 0, when the task is claimed: the image's URL on Beacon's file server (a token only this task knows), and
 * the Get that tells which FirmwareImage to use. `fileServerUrl` is null when Beacon cannot tell the agent where
 * to fetch files.
 */
export async function startFirmwareUpgrade(
  db: Db,
  task: Pick<Task, "id" | "attempts" | "args">,
  fileServerUrl: string | null,
): Promise<{ msg: Msg } | { unsupported: string }> {
  const parsed = TaskArgs.download.safeParse(task.args);
  if (!parsed.success) return { unsupported: `invalid download arguments: ${parsed.error.issues[0]?.message}` };
  const args = parsed.data;
  if (args.fileType && !/^1 Firmware/i.test(args.fileType)) {
    return { unsupported: `a USP agent takes firmware images only, not "${args.fileType}"` };
  }
  const token = newTransferToken();
  let upgrade: FirmwareUpgrade;
  if (args.fileId) {
    const file = await db.file.findUnique({
      where: { id: args.fileId },
      select: { name: true, size: true, sha256: true, version: true },
    });
    if (!file) return { unsupported: "the file to download no longer exists" };
    if (!fileServerUrl) {
      return {
        unsupported:
          "Beacon does not know the address USP agents fetch files from: set BEACON_CWMP_PUBLIC_URL (MQTT agents need it)",
      };
    }
    upgrade = {
      phase: "reading",
      url: downloadUrl(fileServerUrl, task.id, token, file.name),
      fileSize: Number(file.size),
      sha256: file.sha256 || null,
      expectedVersion: file.version,
    };
  } else {
    upgrade = {
      phase: "reading",
      url: args.url ?? "",
      fileSize: args.fileSize ?? 0,
      sha256: null,
      expectedVersion: null,
    };
  }
  // A task claimed again (its agent went away) starts over: nothing of an earlier attempt is trusted.
  await db.$executeRaw`
    UPDATE "Task" SET "result" = ${JSON.stringify({ transferToken: token, upgrade })}::jsonb WHERE "id" = ${task.id}::uuid`;
  return {
    msg: requestMsg(msgIdOf(task, "reading"), {
      case: "get",
      value: { paramPaths: [FIRMWARE_IMAGES, ACTIVE_IMAGE, SOFTWARE_VERSION] },
    }),
  };
}

/** The agent's answer (a response or an Error) to one of the upgrade's requests. */
export async function firmwareAnswer(
  db: Db,
  task: Pick<Task, "id" | "attempts" | "result" | "args">,
  msg: Msg,
  now: Date,
): Promise<FirmwareStep> {
  const upgrade = upgradeOf(task);
  const msgId = msg.header?.msgId ?? "";
  if (!upgrade || stepOfMsgId(msgId) !== STEP[upgrade.phase]) return { kind: "wait" };
  const body = msg.body?.msgBody;
  if (body?.case === "error") {
    const e = body.value;
    return { kind: "fault", code: e.errCode, message: `${what(upgrade)}: ${e.errMsg || uspErrorText(e.errCode)}` };
  }
  const resp = body?.case === "response" ? body.value.respType : undefined;
  switch (upgrade.phase) {
    case "reading": {
      if (resp?.case !== "getResp") return unexpected(upgrade, resp?.case);
      const values = new Map<string, string>();
      for (const r of resp.value.reqPathResults) {
        for (const resolved of r.resolvedPathResults) {
          for (const [name, value] of Object.entries(resolved.resultParams))
            values.set(`${resolved.resolvedPath}${name}`, value);
        }
      }
      const images = [
        ...new Set(
          [...values.keys()].flatMap((name) => {
            const m = /^Device\.DeviceInfo\.FirmwareImage\.(\d+)\./.exec(name);
            return m ? [`${FIRMWARE_IMAGES}${m[1]}.`] : [];
          }),
        ),
      ];
      const running = values.get(SOFTWARE_VERSION) ?? null;
      if (upgrade.expectedVersion && running === upgrade.expectedVersion) {
        return {
          kind: "done",
          effects: { values: [{ name: SOFTWARE_VERSION, value: running }] },
          softwareVersion: running,
          result: { softwareVersion: running, alreadyRunning: true },
        };
      }
      if (images.length === 0) {
        return {
          kind: "fault",
          code: null,
          message: "the agent has no Device.DeviceInfo.FirmwareImage instance: it cannot take firmware over USP",
        };
      }
      const activeRef = values.get(ACTIVE_IMAGE)?.replace(/\.?$/, ".");
      const active = images.find((i) => i === activeRef) ?? images.find((i) => values.get(`${i}Status`) === "Active");
      // TR-369 Appendix: a multi-image agent downloads into a bank that is not running, then activates it.
      const spare = images.filter((i) => i !== active);
      const image =
        images.length > 1 ? (spare.find((i) => values.get(`${i}Status`) !== "Active") ?? spare[0]!) : images[0]!;
      const next: FirmwareUpgrade = { ...upgrade, phase: "downloading", image, autoActivate: images.length === 1 };
      await saveUpgrade(db, task.id, next);
      const inputArgs: Record<string, string> = {
        URL: next.url,
        AutoActivate: String(next.autoActivate),
        ...(next.fileSize > 0 ? { FileSize: String(next.fileSize) } : {}),
        ...(next.sha256 ? { CheckSumAlgorithm: "SHA-256", CheckSum: next.sha256 } : {}),
        // A task given a URL may carry the file server's credentials; Beacon's own URLs carry a token instead.
        ...credentialsOf(task.args),
      };
      return {
        kind: "send",
        msg: requestMsg(msgIdOf(task, "downloading"), {
          case: "operate",
          value: { command: `${image}Download()`, commandKey: task.id, sendResp: true, inputArgs },
        }),
      };
    }
    case "downloading":
    case "activating": {
      if (resp?.case !== "operateResp") return unexpected(upgrade, resp?.case);
      const op = resp.value.operationResults[0]?.operationResp;
      if (op?.case === "cmdFailure") {
        return {
          kind: "fault",
          code: op.value.errCode,
          message: `${what(upgrade)} refused: ${op.value.errMsg || uspErrorText(op.value.errCode)}`,
        };
      }
      if (op?.case !== "reqObjPath" && op?.case !== "reqOutputArgs") return unexpected(upgrade, "an empty OperateResp");
      // reqObjPath: the command runs on; reqOutputArgs: a Download that completed at once.
      if (op.case === "reqOutputArgs" && upgrade.phase === "downloading") return downloaded(db, task, upgrade, now);
      await saveUpgrade(db, task.id, upgrade, upgrade.phase === "downloading" ? "OperationComplete" : "Boot!");
      return { kind: "wait" };
    }
    case "verifying": {
      if (resp?.case !== "getResp") return unexpected(upgrade, resp?.case);
      const values: { name: string; value: string }[] = [];
      for (const r of resp.value.reqPathResults) {
        for (const resolved of r.resolvedPathResults) {
          for (const [name, value] of Object.entries(resolved.resultParams)) {
            values.push({ name: `${resolved.resolvedPath}${name}`, value });
          }
        }
      }
      const version = values.find((v) => v.name === SOFTWARE_VERSION)?.value ?? null;
      const failureLog = upgrade.image ? values.find((v) => v.name === `${upgrade.image}BootFailureLog`)?.value : "";
      const effects = { values };
      if (upgrade.expectedVersion && version !== upgrade.expectedVersion) {
        return {
          kind: "fault",
          code: null,
          message: `the agent came back on version ${version ?? "unknown"} instead of ${upgrade.expectedVersion}${failureLog ? ` (${failureLog})` : ""}`,
          reported: { effects, softwareVersion: version },
        };
      }
      return {
        kind: "done",
        effects,
        softwareVersion: version,
        result: {
          softwareVersion: version,
          image: upgrade.image ?? null,
          firmwareUpdated: upgrade.firmwareUpdated ?? null,
          downloadedAt: upgrade.downloadedAt ?? null,
          bootedAt: upgrade.bootedAt ?? null,
        },
      };
    }
    default:
      return { kind: "wait" };
  }
}

/** The Download() is through: activate the spare bank, or (AutoActivate) wait for the agent's reboot. */
async function downloaded(
  db: Db,
  task: Pick<Task, "id" | "attempts">,
  upgrade: FirmwareUpgrade,
  now: Date,
): Promise<FirmwareStep> {
  if (upgrade.autoActivate) {
    await saveUpgrade(db, task.id, { ...upgrade, phase: "rebooting", downloadedAt: now.toISOString() }, "Boot!");
    return { kind: "wait" };
  }
  const next: FirmwareUpgrade = { ...upgrade, phase: "activating", downloadedAt: now.toISOString() };
  // "awaiting" from here on: the task's claim is minutes old, and the sweep of unanswered requests goes by it.
  await saveUpgrade(db, task.id, next, "Activate()");
  return {
    kind: "send",
    msg: requestMsg(msgIdOf(task, "activating"), {
      case: "operate",
      value: { command: `${upgrade.image}Activate()`, commandKey: task.id, sendResp: true },
    }),
  };
}

/** An OperationComplete naming the task: the Download's end (next: Activate or the reboot), or an Activate's. */
export async function firmwareOperationComplete(
  db: Db,
  task: Pick<Task, "id" | "attempts" | "result">,
  done: { commandName: string; failure: { errCode: number; errMsg: string } | null },
  now: Date,
): Promise<FirmwareStep> {
  const upgrade = upgradeOf(task);
  if (!upgrade) return { kind: "wait" };
  const command = done.commandName.replace(/\(\)$/, "");
  if (done.failure) {
    if (upgrade.phase === "verifying") return { kind: "wait" };
    return {
      kind: "fault",
      code: done.failure.errCode,
      message: `${command === "Activate" ? "activation" : "download"} failed: ${done.failure.errMsg || uspErrorText(done.failure.errCode)}`,
    };
  }
  if (command === "Download" && upgrade.phase === "downloading") return downloaded(db, task, upgrade, now);
  // An Activate() completes after the reboot, when the Boot! already moved the task on.
  return { kind: "wait" };
}

/**
 * The agent booted (its Boot! event): if a firmware task of the device was waiting for this reboot, ask the
 * version it runs now. A Boot! may name the command that caused it (CommandKey = the task id); a reboot once the
 * image was activated counts too. A reboot before a spare bank's image was activated cuts the upgrade off.
 */
export async function firmwareBooted(
  db: Db,
  deviceId: string,
  boot: { commandKey: string; firmwareUpdated: string | undefined },
  now: Date,
): Promise<{ msgs: Msg[]; faults: { task: Pick<Task, "id" | "attempts">; message: string }[] }> {
  const tasks = await db.task.findMany({
    where: { deviceId, kind: "download", state: "running" },
    select: { id: true, attempts: true, result: true },
  });
  const msgs: Msg[] = [];
  const faults: { task: Pick<Task, "id" | "attempts">; message: string }[] = [];
  for (const task of tasks) {
    const upgrade = upgradeOf(task);
    if (!upgrade || upgrade.phase === "reading") continue;
    // With AutoActivate the agent may reboot before (or without) the Download's OperationComplete, and not every
    // agent names the command in the Boot! event: the version it reports decides.
    const expected =
      upgrade.phase === "rebooting" ||
      upgrade.phase === "activating" ||
      upgrade.phase === "verifying" ||
      upgrade.autoActivate === true ||
      boot.commandKey === task.id;
    if (!expected) {
      faults.push({ task, message: "the agent restarted before the image was downloaded and activated" });
      continue;
    }
    const next: FirmwareUpgrade = {
      ...upgrade,
      phase: "verifying",
      bootedAt: now.toISOString(),
      firmwareUpdated:
        boot.firmwareUpdated === undefined ? null : boot.firmwareUpdated === "true" || boot.firmwareUpdated === "1",
    };
    await saveUpgrade(db, task.id, next, "SoftwareVersion");
    msgs.push(
      requestMsg(msgIdOf(task, "verifying"), {
        case: "get",
        value: {
          paramPaths: [
            SOFTWARE_VERSION,
            ACTIVE_IMAGE,
            ...(upgrade.image ? [`${upgrade.image}Status`, `${upgrade.image}BootFailureLog`] : []),
          ],
        },
      }),
    );
  }
  return { msgs, faults };
}

function credentialsOf(args: unknown): Record<string, string> {
  const parsed = TaskArgs.download.safeParse(args);
  if (!parsed.success || !parsed.data.username) return {};
  return { Username: parsed.data.username, Password: parsed.data.password ?? "" };
}

function what(upgrade: FirmwareUpgrade): string {
  switch (upgrade.phase) {
    case "reading":
      return "reading the firmware images";
    case "downloading":
      return `${upgrade.image ?? FIRMWARE_IMAGES}Download()`;
    case "activating":
    case "rebooting":
      return `${upgrade.image ?? FIRMWARE_IMAGES}Activate()`;
    case "verifying":
      return "reading the version after the reboot";
  }
}

function unexpected(upgrade: FirmwareUpgrade, answer: string | undefined): FirmwareStep {
  return { kind: "fault", code: null, message: `${what(upgrade)}: the agent answered ${answer ?? "nothing readable"}` };
}
