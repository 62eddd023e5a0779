import { randomBytes } from "node:crypto";
import type { Db } from "@beacon/db";
import { createSimulatedDevice, type SimulatedDevice, type SimulatedDeviceOptions } from "@beacon/sim";

/** The shared first-contact credential the simulated devices ship with (BEACON_CWMP_BOOTSTRAP_USERNAME/_PASSWORD). */
export const BOOTSTRAP = { username: "sim-boot", password: "sim-bootstrap-secret" } as const;

export const IGD = "InternetGatewayDevice";

/**
 * A simulated TR-098 ONU that calls `acsUrl` with the bootstrap credential, with seconds scaled to
 * milliseconds (DelaySeconds, ScheduleInform) and short HTTP timeouts. Stopped: it informs when told to
 * or when a connection request arrives.
 */
export function simulatedOnu(acsUrl: string, options: Partial<SimulatedDeviceOptions> = {}): SimulatedDevice {
  return createSimulatedDevice({
    model: "beacon-onu-tr098",
    serialNumber: `SIM${randomBytes(4).toString("hex").toUpperCase()}`,
    acsUrl: acsUrl.endsWith("/") ? acsUrl : `${acsUrl}/`,
    username: BOOTSTRAP.username,
    password: BOOTSTRAP.password,
    cwmpNamespace: "1.2",
    timing: { timeScale: 0.001, requestTimeoutMs: 10_000 },
    ...options,
  });
}

export async function deviceIdOf(db: Db, device: SimulatedDevice): Promise<string> {
  const row = await db.device.findFirstOrThrow({
    where: { serialNumber: device.serialNumber },
    select: { id: true },
  });
  return row.id;
}

/** Polls until `check` returns something truthy; fails after `ms` with `what` in the message. */
export async function eventually<T>(what: string, check: () => Promise<T> | T, ms = 10_000): Promise<NonNullable<T>> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
