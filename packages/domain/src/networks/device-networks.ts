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
  const read = row && isNetworkMap(row.map) ? row.map : null;
  return {
    map: read && (await withCurrentValues(db, deviceId, read)),
    readAt: row?.readAt ?? null,
    stale: row?.stale ?? false,
    recognised: row?.recognised ?? null,
    readPending: pending > 0,
  };
}

/**
 * The map as read, with each network's name and state as Beacon last knows them: a template or a checkout sets them
 * after the map was read, and their values (confirmed by the device's answer or read back) are in DeviceParameter.
 */
async function withCurrentValues(db: ScopedDb, deviceId: string, map: NetworkMap): Promise<NetworkMap> {
  const names = map.networks.flatMap((n) => [`${n.path}SSID`, `${n.path}Enable`]);
  if (names.length === 0) return map;
  const rows = await db.deviceParameter.findMany({
    where: { deviceId, name: { in: names } },
    select: { name: true, value: true },
  });
  const current = new Map(rows.map((r) => [r.name, r.value]));
  return {
    ...map,
    networks: map.networks.map((n) => {
      const ssid = current.get(`${n.path}SSID`);
      const enable = current.get(`${n.path}Enable`);
      return {
        ...n,
        ssid: ssid ?? n.ssid,
        enabled: enable === null || enable === undefined ? n.enabled : enable === "1" || enable === "true",
      };
    }),
  };
}
