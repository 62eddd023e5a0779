import { faultText } from "@beacon/cwmp";
import type { TaskState } from "@beacon/db";
import { shownValue } from "../secrets/secret-parameters.ts";
import { authorize, type TenantAccess } from "../tenancy/tenant-access.ts";
import type { ScopedDb } from "../tenancy/tenant-scope.ts";
import { reachableDevice } from "./get-device.ts";

export interface TaskHistoryItem {
  id: string;
  kind: string;
  /** The task in words, e.g. "Set Device.WiFi.SSID.1.SSID to Lobby". */
  summary: string;
  state: TaskState;
  faultCode: number | null;
  faultString: string | null;
  /** What the fault means, for people who do not know TR-069's fault table. */
  faultExplanation: string | null;
  attempts: number;
  wakeOutcome: string | null;
  createdBy: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export async function listDeviceTasks(
  db: ScopedDb,
  access: TenantAccess,
  input: { deviceId: string; limit?: number },
): Promise<TaskHistoryItem[]> {
  const device = await reachableDevice(db, input.deviceId);
  authorize(access, "device.read", device.tenant);
  const tasks = await db.task.findMany({
    where: { deviceId: device.id },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    take: Math.min(input.limit ?? 100, 500),
    select: {
      id: true,
      kind: true,
      args: true,
      state: true,
      faultCode: true,
      faultString: true,
      attempts: true,
      wakeOutcome: true,
      createdBy: true,
      createdAt: true,
      startedAt: true,
      finishedAt: true,
    },
  });
  return tasks.map(({ args, ...task }) => ({
    ...task,
    summary: describeTask(task.kind, args),
    faultExplanation: explainFault(task.faultCode, task.faultString),
  }));
}

type JsonArgs = { [key: string]: unknown } | unknown[] | string | number | boolean | null;

/** A task in a short sentence, for histories and the audit log. */
export function describeTask(kind: string, args: JsonArgs): string {
  const record = args && typeof args === "object" && !Array.isArray(args) ? args : {};
  switch (kind) {
    case "reboot":
      return "Reboot";
    case "factoryReset":
      return "Factory reset";
    case "readNetworkMap":
      return "Read the WiFi and WAN networks";
    case "applySettings":
      return "Apply settings placed on the device's networks";
    case "checkoutNetworks":
      return "Checkout: new passphrase on every network";
    case "refresh": {
      const path = typeof record.path === "string" && record.path ? record.path : "all parameters";
      return `Refresh ${path}`;
    }
    case "setParameterValues": {
      const values = Array.isArray(record.values) ? (record.values as { name?: unknown; value?: unknown }[]) : [];
      const first = values[0];
      if (!first) return "Set parameter values";
      const more = values.length > 1 ? ` and ${values.length - 1} more` : "";
      const value = shownValue(String(first.name), String(first.value ?? ""));
      return `Set ${String(first.name)} to ${JSON.stringify(value)}${more}`;
    }
    case "download":
      return "Download a file";
    case "upload":
      return "Upload a file";
    case "getParameterValues":
      return "Read parameter values";
    default:
      return kind.replace(/([A-Z])/g, " $1").replace(/^./, (c) => c.toUpperCase());
  }
}

const FAULT_HINTS: Record<number, string> = {
  9001: "The device refused the request; it may not allow this from the ACS.",
  9002: "The device hit an internal error; trying again later may work.",
  9003: "The device considers the request's arguments wrong.",
  9004: "The device was busy or short of resources; Beacon retries such faults.",
  9005: "The device does not have a parameter of that name; refresh its parameters and check the path.",
  9006: "The value has the wrong type for this parameter (for example text where a number is expected).",
  9007: "The device does not accept this value for the parameter.",
  9008: "The parameter is read-only on this device.",
};

/** A fault in words: the TR-069 name of the code, a hint, and the device's own text when it adds something. */
export function explainFault(code: number | null, faultString: string | null): string | null {
  if (code === null) return faultString ? `Beacon gave up: ${faultString}` : null;
  const parts = [`${faultText(code)} (fault ${code}).`];
  const hint = FAULT_HINTS[code];
  if (hint) parts.push(hint);
  if (faultString && faultString.toLowerCase() !== faultText(code).toLowerCase())
    parts.push(`Device said: ${faultString}`);
  return parts.join(" ");
}

export interface DeviceEventItem {
  id: string;
  code: string;
  commandKey: string;
  meaning: string;
  at: Date;
}

// TR-069 Table 7 (Inform EventCodes).
const EVENT_MEANINGS: Record<string, string> = {
  "0 BOOTSTRAP": "First contact with this ACS (new device, factory reset, or a changed ACS URL)",
  "1 BOOT": "The device started up",
  "2 PERIODIC": "Regular check-in",
  "3 SCHEDULED": "Check-in the ACS scheduled",
  "4 VALUE CHANGE": "A watched parameter changed",
  "5 KICKED": "Kicked by a web portal",
  "6 CONNECTION REQUEST": "Answered a connection request from the ACS",
  "7 TRANSFER COMPLETE": "A file transfer finished",
  "8 DIAGNOSTICS COMPLETE": "A diagnostic test finished",
  "9 REQUEST DOWNLOAD": "The device asked for a file",
  "10 AUTONOMOUS TRANSFER COMPLETE": "A transfer the device started itself finished",
  "11 DU STATE CHANGE COMPLETE": "A software module change finished",
  "12 AUTONOMOUS DU STATE CHANGE COMPLETE": "A software module change the device started itself finished",
  "13 WAKEUP": "Woke up",
  "14 HEARTBEAT": "Heartbeat",
  "M Reboot": "Restarted because the ACS asked",
  "M ScheduleInform": "Checked in because the ACS asked",
  "M Download": "Downloaded a file the ACS sent",
  "M ScheduleDownload": "Downloaded a file on the ACS's schedule",
  "M Upload": "Uploaded a file the ACS asked for",
  "M ChangeDUState": "Changed software modules as the ACS asked",
};

export function eventMeaning(code: string): string {
  return EVENT_MEANINGS[code] ?? (code.startsWith("X ") ? "Vendor-specific event" : "Event");
}

export async function listDeviceEvents(
  db: ScopedDb,
  access: TenantAccess,
  input: { deviceId: string; limit?: number },
): Promise<DeviceEventItem[]> {
  const device = await reachableDevice(db, input.deviceId);
  authorize(access, "device.read", device.tenant);
  const events = await db.deviceEvent.findMany({
    where: { deviceId: device.id },
    orderBy: [{ at: "desc" }, { id: "desc" }],
    take: Math.min(input.limit ?? 100, 500),
    select: { id: true, code: true, commandKey: true, at: true },
  });
  return events.map((event) => ({ ...event, id: event.id.toString(), meaning: eventMeaning(event.code) }));
}
