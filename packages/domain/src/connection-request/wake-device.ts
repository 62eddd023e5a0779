import type { Db } from "@beacon/db";
import { NotFound } from "../errors.ts";
import { httpConnectionRequest, type WakeOutcome } from "./http-connection-request.ts";
import { sendUdpConnectionRequest } from "./udp-connection-request.ts";

export interface WakeResult {
  outcome: WakeOutcome;
  detail?: string;
}

/**
 * Asks a device to open a session now (a connection request), so that queued tasks run without waiting for
 * its next periodic Inform. Tries the HTTP ConnectionRequestURL, then the UDP address (TR-069 Annex G) when
 * HTTP cannot reach it. With a taskId, the outcome is recorded on that task.
 */
export async function wakeDevice(
  db: Db,
  deviceId: string,
  options: { taskId?: string; now?: Date } = {},
): Promise<WakeResult> {
  const device = await db.device.findUnique({
    where: { id: deviceId },
    select: {
      connectionRequestUrl: true,
      udpConnectionRequestAddress: true,
      connReqUsername: true,
      connReqPassword: true,
    },
  });
  if (!device) throw new NotFound("device");
  const result = await wake(device, options.now ?? new Date());
  if (options.taskId) {
    await db.task.updateMany({ where: { id: options.taskId, deviceId }, data: { wakeOutcome: result.outcome } });
  }
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
): Promise<WakeResult> {
  const credentials = { username: device.connReqUsername, password: device.connReqPassword };
  let http: WakeResult | null = null;
  if (device.connectionRequestUrl) {
    http = await httpConnectionRequest(device.connectionRequestUrl, credentials);
    if (http.outcome !== "unreachable" && http.outcome !== "timeout") return http;
  }
  if (device.udpConnectionRequestAddress && credentials.username && credentials.password !== null) {
    try {
      await sendUdpConnectionRequest(
        device.udpConnectionRequestAddress,
        { username: credentials.username, password: credentials.password },
        now,
      );
      return { outcome: "udp-sent" };
    } catch (error) {
      return { outcome: "failed", detail: (error as Error).message };
    }
  }
  return http ?? { outcome: "no-address" };
}
