import type { Db } from "@beacon/db";
import { NotFound } from "../errors.ts";
import type { ConnectionRequestTargets } from "./connection-request-targets.ts";
import { httpConnectionRequest, type WakeOutcome } from "./http-connection-request.ts";
import { sendUdpConnectionRequest, UdpTargetRefused } from "./udp-connection-request.ts";

export interface WakeResult {
  outcome: WakeOutcome;
  detail?: string;
}

/** How this process sends connection requests; each program builds it from its configuration. */
export interface ConnectionRequestSettings {
  /** Where requests may go (BEACON_CONNECTION_REQUEST_ALLOW / _DENY); default: loopback and the like refused. */
  targets?: ConnectionRequestTargets;
  /** Basic over plain HTTP (BEACON_CWMP_ALLOW_BASIC), as for CPEs towards the ingress. */
  allowBasic?: boolean;
  /** Told every outcome, with its detail, for the program's log. */
  log?: (entry: WakeLogEntry) => void;
}

export interface WakeLogEntry extends WakeResult {
  deviceId: string;
  taskId?: string;
}

/**
 * Asks a device to open a session now (a connection request), so that queued tasks run without waiting for
 * its next periodic Inform. Tries the HTTP ConnectionRequestURL, then the UDP address (TR-069 Annex G) when
 * HTTP cannot reach it. With a taskId, the outcome and its detail are recorded on that task.
 */
export async function wakeDevice(
  db: Db,
  deviceId: string,
  options: { taskId?: string; now?: Date; settings?: ConnectionRequestSettings } = {},
): Promise<WakeResult> {
  const device = await db.device.findUnique({
    where: { id: deviceId },
    select: {
      protocol: true,
      connectionRequestUrl: true,
      udpConnectionRequestAddress: true,
      connReqUsername: true,
      connReqPassword: true,
    },
  });
  if (!device) throw new NotFound("device");
  // A USP agent is not woken this way: the USP controller sends its tasks as soon as it is connected. Nothing is
  // recorded on the task, so that it does not read as a CWMP device without a connection-request address.
  if (device.protocol === "usp") return { outcome: "no-address", detail: "USP agents get their tasks when connected" };
  const settings = options.settings ?? {};
  const result = await wake(device, options.now ?? new Date(), settings);
  if (options.taskId) {
    await db.task.updateMany({
      where: { id: options.taskId, deviceId },
      data: { wakeOutcome: result.outcome, wakeDetail: result.detail?.slice(0, 1000) ?? null },
    });
  }
  settings.log?.({ deviceId, ...(options.taskId ? { taskId: options.taskId } : {}), ...result });
  return result;
}

async function wake(
  device: {
    connectionRequestUrl: string | null;
    udpConnectionRequestAddress: string | null;
    connReqUsername: string | null;
    connReqPassword: string | null;
  },
  now: Date,
  settings: ConnectionRequestSettings,
): Promise<WakeResult> {
  const credentials = { username: device.connReqUsername, password: device.connReqPassword };
  let http: WakeResult | null = null;
  if (device.connectionRequestUrl) {
    http = await httpConnectionRequest(device.connectionRequestUrl, credentials, {
      targets: settings.targets,
      allowBasic: settings.allowBasic,
    });
    if (http.outcome !== "unreachable" && http.outcome !== "timeout" && http.outcome !== "refused") return http;
  }
  if (device.udpConnectionRequestAddress && credentials.username && credentials.password !== null) {
    const over = http ? `HTTP: ${http.detail ?? http.outcome}; ` : "";
    try {
      await sendUdpConnectionRequest(
        device.udpConnectionRequestAddress,
        { username: credentials.username, password: credentials.password },
        now,
        { targets: settings.targets },
      );
      return { outcome: "udp-sent", detail: `${over}UDP to ${device.udpConnectionRequestAddress}` };
    } catch (error) {
      const outcome = error instanceof UdpTargetRefused ? "refused" : "failed";
      return { outcome, detail: `${over}UDP: ${(error as Error).message}` };
    }
  }
  return http ?? { outcome: "no-address" };
}
