import type { AllQueuedTransferStruct, Download, Fault, ScheduleDownload, Upload } from "@beacon/cwmp";

/** A Download, Upload or ScheduleDownload the ACS asked for and the device has not finished. */
export interface QueuedTransfer {
  readonly kind: "Download" | "Upload" | "ScheduleDownload";
  readonly commandKey: string;
  readonly fileType: string;
  readonly url: string;
  readonly username: string;
  readonly password: string;
  readonly fileSize: number;
  readonly targetFileName: string;
  /** Seconds after the session that queued it. */
  readonly delaySeconds: number;
  /** 1 not yet started, 2 in progress (TR-069 A.4.1.7). */
  state: 1 | 2;
  timer?: NodeJS.Timeout;
}

/** TR-069 A.4.1.7 limits nothing, but stacks queue a handful of transfers at most. */
export const MAX_QUEUED_TRANSFERS = 16;

export function queuedTransferStruct(t: QueuedTransfer): AllQueuedTransferStruct {
  return {
    commandKey: t.commandKey,
    state: t.state,
    isDownload: t.kind !== "Upload",
    fileType: t.fileType,
    fileSize: t.fileSize,
    targetFileName: t.targetFileName,
  };
}

/** "1 Firmware Upgrade Image" (TR-069 A.3.2.8). */
export function isFirmware(fileType: string): boolean {
  return fileType.trim().startsWith("1 ");
}

/** "3 Vendor Configuration File" for Download; "1 Vendor Configuration File" for Upload (A.4.1.5). */
export function isConfiguration(kind: QueuedTransfer["kind"], fileType: string): boolean {
  return fileType.trim().startsWith(kind === "Upload" ? "1 " : "3 ");
}

/**
 * The version a firmware image installs: the TargetFileName, else the last path segment of the URL,
 * without an extension ("V5R021C00S100.bin" -> "V5R021C00S100").
 */
export function firmwareVersionFromFile(file: { readonly url: string; readonly targetFileName: string }): string {
  let name = file.targetFileName.trim();
  if (name === "") {
    try {
      name = decodeURIComponent(new URL(file.url).pathname.split("/").pop() ?? "");
    } catch {
      name = "";
    }
  }
  const dot = name.lastIndexOf(".");
  return (dot > 0 ? name.slice(0, dot) : name) || "unknown";
}

/**
 * The queue entry for a transfer request, or the Fault a stack answers at once: 9003 for a URL it cannot
 * read or bad time windows, 9013 for a protocol other than HTTP(S).
 */
export function queuedTransferOf(request: Download | Upload | ScheduleDownload): QueuedTransfer | Fault {
  let protocol: string;
  try {
    protocol = new URL(request.url).protocol;
  } catch {
    return { type: "Fault", faultCode: 9003, faultString: `not a URL: ${request.url}` };
  }
  if (protocol !== "http:" && protocol !== "https:") return { type: "Fault", faultCode: 9013 };
  let delaySeconds: number;
  if (request.type === "ScheduleDownload") {
    const window = request.timeWindowList[0];
    if (!window || request.timeWindowList.length > 2 || window.windowEnd < window.windowStart) {
      return { type: "Fault", faultCode: 9003, faultString: "TimeWindowList must hold one or two windows" };
    }
    delaySeconds = window.windowStart;
  } else {
    delaySeconds = request.delaySeconds;
  }
  return {
    kind: request.type,
    commandKey: request.commandKey,
    fileType: request.fileType,
    url: request.url,
    username: request.username,
    password: request.password,
    fileSize: request.type === "Upload" ? 0 : request.fileSize,
    targetFileName: request.type === "Upload" ? "" : request.targetFileName,
    delaySeconds,
    state: 1,
  };
}
