import { z } from "zod";
import { NetworkRead } from "../networks/read-network-map.ts";

/** Arguments of each task kind, checked when a task is created and again when a session runs it. */

const parameterName = z.string().trim().min(1, "a parameter name is required");
const objectName = z
  .string()
  .trim()
  .min(1)
  .refine((n) => n.endsWith("."), "an object name ends with a dot, e.g. InternetGatewayDevice.WANDevice.1.");

const commandKey = z.string().max(32).optional();
const parameterKey = z.string().max(32).optional();

export const TaskArgs = {
  getParameterValues: z.object({ names: z.array(parameterName).min(1) }),
  setParameterValues: z.object({
    values: z.array(z.object({ name: parameterName, value: z.string(), type: z.string().optional() })).min(1),
    parameterKey,
  }),
  getParameterNames: z.object({ path: z.string().trim().default(""), nextLevel: z.boolean().default(false) }),
  /** Re-reads a subtree: GetParameterNames, then GetParameterValues of the same path. "" means the whole device. */
  refresh: z.object({ path: z.string().trim().default("") }),
  /** Reads the device's WiFi and WAN subtrees and derives its network map (networks/read-network-map.ts). */
  readNetworkMap: z.object({ reads: z.array(NetworkRead).optional() }),
  /**
   * Settings by meaning ({"wifi.5g.ssid": "Room 12"}), values final, resolved to parameters through the device's
   * network map when the session runs it (so that a first session can read the networks, then apply).
   * `templates` says which template each setting came from, to record what it set.
   */
  applySettings: z.object({
    settings: z.record(z.string(), z.string()),
    templates: z.record(z.string(), z.uuid()).default({}),
    parameterKey,
  }),
  /**
   * A room's checkout on its device, planned when the session runs it from the network map read just before:
   * every network a guest could use is switched off, gets the new passphrase and comes back on, then is read back.
   */
  checkoutNetworks: z.object({
    checkoutId: z.uuid(),
    passphrase: z.string().min(8),
    /** What the room's templates restore, values final; passphrases are the new one. */
    settings: z.record(z.string(), z.string()),
    parameterKey,
  }),
  getParameterAttributes: z.object({ names: z.array(parameterName).min(1) }),
  setParameterAttributes: z.object({
    parameters: z
      .array(
        z.object({
          name: parameterName,
          notification: z.number().int().min(0).max(6).optional(),
          accessList: z.array(z.string()).optional(),
        }),
      )
      .min(1),
  }),
  addObject: z.object({ objectName, parameterKey }),
  deleteObject: z.object({ objectName, parameterKey }),
  reboot: z.object({ commandKey }),
  factoryReset: z.object({}),
  download: z
    .object({
      fileId: z.uuid().optional(),
      url: z.url().optional(),
      fileType: z.string().optional(),
      targetFileName: z.string().optional(),
      fileSize: z.number().int().min(0).optional(),
      username: z.string().optional(),
      password: z.string().optional(),
      delaySeconds: z.number().int().min(0).default(0),
    })
    .refine((a) => Boolean(a.fileId) !== Boolean(a.url), "a download needs either fileId or url"),
  upload: z.object({
    fileType: z.string().default("1 Vendor Configuration File"),
    delaySeconds: z.number().int().min(0).default(0),
  }),
  scheduleInform: z.object({ delaySeconds: z.number().int().min(1).default(1), commandKey }),
  getRPCMethods: z.object({}),
  /** A download the CPE runs within time windows it is given (TR-069 A.4.1.8); closed by TransferComplete. */
  scheduleDownload: z
    .object({
      fileId: z.uuid().optional(),
      url: z.url().optional(),
      fileType: z.string().optional(),
      targetFileName: z.string().optional(),
      fileSize: z.number().int().min(0).optional(),
      username: z.string().optional(),
      password: z.string().optional(),
      timeWindows: z
        .array(
          z.object({
            windowStart: z.number().int().min(0),
            windowEnd: z.number().int().min(0),
            windowMode: z.enum(["1 At Any Time", "2 Immediately", "3 When Idle", "4 Confirmation Needed"]),
            userMessage: z.string().default(""),
            maxRetries: z.number().int().min(-1).default(-1),
          }),
        )
        .min(1)
        .max(2),
    })
    .refine((a) => Boolean(a.fileId) !== Boolean(a.url), "a download needs either fileId or url"),
  /** Cancels a queued Download/Upload/ScheduleDownload, named by its task or by its CommandKey. */
  cancelTransfer: z
    .object({ taskId: z.uuid().optional(), commandKey: z.string().max(32).optional() })
    .refine((a) => Boolean(a.taskId) !== Boolean(a.commandKey), "name the transfer by taskId or commandKey"),
  getQueuedTransfers: z.object({}),
  getAllQueuedTransfers: z.object({}),
  /** Installs, updates or uninstalls deployment units (TR-069 A.4.1.10); closed by DUStateChangeComplete. */
  changeDUState: z.object({
    operations: z
      .array(
        z.discriminatedUnion("operation", [
          z.object({
            operation: z.literal("Install"),
            url: z.url(),
            uuid: z.string().optional(),
            username: z.string().optional(),
            password: z.string().optional(),
            executionEnvRef: z.string().optional(),
          }),
          z.object({
            operation: z.literal("Update"),
            uuid: z.string().optional(),
            version: z.string().optional(),
            url: z.string().optional(),
            username: z.string().optional(),
            password: z.string().optional(),
          }),
          z.object({
            operation: z.literal("Uninstall"),
            uuid: z.string(),
            version: z.string().optional(),
            executionEnvRef: z.string().optional(),
          }),
        ]),
      )
      .min(1),
  }),
  /** A USP command (TR-369 Operate), e.g. "Device.IP.Diagnostics.IPPing()"; asynchronous ones end with OperationComplete. */
  operate: z.object({
    command: z
      .string()
      .trim()
      .regex(/^Device\.[A-Za-z0-9_.{}*-]*[A-Za-z0-9_]+\(\)$/, "a USP command looks like Device.Reboot()"),
    inputArgs: z.record(z.string(), z.string()).default({}),
  }),
} as const;

export type TaskKind = keyof typeof TaskArgs;
export type TaskArgsOf<K extends TaskKind> = z.output<(typeof TaskArgs)[K]>;

export const TASK_KINDS = Object.keys(TaskArgs) as TaskKind[];

export function isTaskKind(kind: string): kind is TaskKind {
  return Object.hasOwn(TaskArgs, kind);
}

/** Kinds whose work ends only with the CPE's TransferComplete, possibly sessions later. */
export const TRANSFER_KINDS: ReadonlySet<string> = new Set<TaskKind>(["download", "upload", "scheduleDownload"]);
