import type { CpeResponse, Fault } from "@beacon/cwmp";
import type { Db, Prisma } from "@beacon/db";
import { z } from "zod";
import { deriveNetworkMap, isNetworkMap, type NetworkMap, networkMapPrefixes } from "./network-map.ts";

/**
 * Reading a device's networks: bounded reads of its WiFi and WAN subtrees, never the whole tree. TR-098: the
 * LANDevice and WANDevice instances (GetParameterNames, NextLevel), then for each the WLANConfiguration and
 * WANConnectionDevice subtrees (names, then values). TR-181: the WiFi, PPP.Interface and IP.Interface subtrees.
 * A path the device does not have (fault 9005) is skipped. The map is derived from the stored values at the end.
 */

export const NetworkRead = z.object({
  op: z.enum(["names", "values"]),
  path: z.string().min(1),
  nextLevel: z.boolean().default(false),
});
export type NetworkRead = z.output<typeof NetworkRead>;

/** A map older than this is read again before a checkout relies on it. */
export const NETWORK_MAP_MAX_AGE_MS = 24 * 3600_000;

export function initialNetworkReads(root: string): NetworkRead[] {
  if (root === "Device") {
    return ["Device.WiFi.", "Device.PPP.Interface.", "Device.IP.Interface."].flatMap((path) => [
      { op: "names" as const, path, nextLevel: false },
      { op: "values" as const, path, nextLevel: false },
    ]);
  }
  return [
    { op: "names", path: "InternetGatewayDevice.LANDevice.", nextLevel: true },
    { op: "names", path: "InternetGatewayDevice.WANDevice.", nextLevel: true },
  ];
}

/** The reads an answer calls for: each LANDevice's WLANConfiguration subtree, each WANDevice's connections. */
export function followUpReads(read: NetworkRead, answer: CpeResponse | Fault): NetworkRead[] {
  if (answer.type !== "GetParameterNamesResponse" || !read.nextLevel) return [];
  const below =
    read.path === "InternetGatewayDevice.LANDevice."
      ? "WLANConfiguration."
      : read.path === "InternetGatewayDevice.WANDevice."
        ? "WANConnectionDevice."
        : null;
  if (!below) return [];
  const instances = answer.parameterList
    .map((p) => p.name)
    .filter((name) => name.startsWith(read.path) && /^\d+\.$/.test(name.slice(read.path.length)));
  return instances.flatMap((instance) => [
    { op: "names" as const, path: `${instance}${below}`, nextLevel: false },
    { op: "values" as const, path: `${instance}${below}`, nextLevel: false },
  ]);
}

/** Derives the map from the stored values of the device's WiFi and WAN subtrees and keeps it. */
export async function storeNetworkMap(
  db: Pick<Prisma.TransactionClient, "deviceParameter" | "deviceNetworkMap">,
  deviceId: string,
  root: string | null,
  now: Date,
): Promise<NetworkMap | null> {
  if (root !== "Device" && root !== "InternetGatewayDevice") return null;
  const rows = await db.deviceParameter.findMany({
    where: { deviceId, isObject: false, OR: networkMapPrefixes(root).map((p) => ({ name: { startsWith: p } })) },
    select: { name: true, value: true },
  });
  const map = deriveNetworkMap(root, rows);
  const data = { map: map as unknown as Prisma.InputJsonValue, recognised: map.recognised, readAt: now, stale: false };
  await db.deviceNetworkMap.upsert({ where: { deviceId }, create: { deviceId, ...data }, update: data });
  return map;
}

export interface StoredNetworkMap {
  map: NetworkMap;
  readAt: Date;
  stale: boolean;
  recognised: boolean;
}

export async function loadNetworkMap(
  db: Pick<Db, "deviceNetworkMap">,
  deviceId: string,
): Promise<StoredNetworkMap | null> {
  const row = await db.deviceNetworkMap.findUnique({ where: { deviceId } });
  if (!row || !isNetworkMap(row.map)) return null;
  return { map: row.map, readAt: row.readAt, stale: row.stale, recognised: row.recognised };
}

/** A map to trust for a checkout: read, not marked stale by a boot or a change, not too old. */
export function isFresh(stored: Pick<StoredNetworkMap, "readAt" | "stale"> | null, now: Date): boolean {
  return Boolean(stored && !stored.stale && now.getTime() - stored.readAt.getTime() < NETWORK_MAP_MAX_AGE_MS);
}

/**
 * Queues a read of the device's networks unless one is waiting already. Due before anything queued now, so that
 * the same session reads the networks before it runs the tasks that rely on them.
 */
export async function queueNetworkMapRead(
  db: Pick<Db, "task" | "deviceNetworkMap">,
  device: { id: string; tenantId: string },
  now: Date,
  createdBy = "beacon",
): Promise<boolean> {
  await db.deviceNetworkMap.updateMany({ where: { deviceId: device.id, stale: false }, data: { stale: true } });
  const waiting = await db.task.findFirst({
    where: { deviceId: device.id, kind: "readNetworkMap", state: "pending" },
    select: { id: true },
  });
  if (waiting) return false;
  await db.task.create({
    data: {
      tenantId: device.tenantId,
      deviceId: device.id,
      kind: "readNetworkMap",
      args: {},
      notBefore: new Date(now.getTime() - 60_000),
      createdBy,
    },
  });
  return true;
}

/** Whether an Inform's changed parameters touch the networks (so that the map is read again). */
export function touchesNetworks(root: string | null, names: readonly string[]): boolean {
  if (root !== "Device" && root !== "InternetGatewayDevice") return false;
  const prefixes = networkMapPrefixes(root);
  return names.some(
    (n) =>
      prefixes.some((p) => n.startsWith(p)) &&
      /(WLANConfiguration|WiFi|WAN(IP|PPP)Connection|PPP\.Interface|IP\.Interface)/.test(n) &&
      !/(Stats|Bytes|Packets|UpTime|AssociatedDevice|TotalAssociations|ExternalIPAddress|IPAddress)/.test(n),
  );
}
