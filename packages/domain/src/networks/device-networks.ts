import { NotFound } from "../errors.ts";
import type { ScopedDb } from "../tenancy/tenant-scope.ts";
import { isNetworkMap, type NetworkMap } from "./network-map.ts";

export interface DeviceNetworks {
  /** Null until Beacon has read the device's networks (in its first session, or the one after). */
  map: NetworkMap | null;
  readAt: Date | null;
  /** A boot or a change of the device's networks happened since: Beacon reads them again in its next session. */
  stale: boolean;
  recognised: boolean | null;
  /** A read is queued and waits for the device's next session. */
  readPending: boolean;
}

/** The device's network map as the console shows it. */
export async function getDeviceNetworks(db: ScopedDb, deviceId: string): Promise<DeviceNetworks> {
  const device = await db.device.findUnique({ where: { id: deviceId }, select: { id: true } });
  if (!device) throw new NotFound("device");
  const [row, pending] = await Promise.all([
    db.deviceNetworkMap.findUnique({ where: { deviceId } }),
    db.task.count({ where: { deviceId, kind: "readNetworkMap", state: { in: ["pending", "running"] } } }),
  ]);
  const map = row && isNetworkMap(row.map) ? row.map : null;
  return {
    map,
    readAt: row?.readAt ?? null,
    stale: row?.stale ?? false,
    recognised: row?.recognised ?? null,
    readPending: pending > 0,
  };
}
