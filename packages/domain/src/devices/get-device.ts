import { appendAudit } from "../audit/audit-trail.ts";
import { type DomainRef, withDomainPaths } from "../domains/domain-paths.ts";
import { NotFound } from "../errors.ts";
import { MASK } from "../secrets/secret-parameters.ts";
import type { Permission } from "../tenancy/permissions.ts";
import { authorize, permissionsAt, type TenantAccess } from "../tenancy/tenant-access.ts";
import type { ScopedDb } from "../tenancy/tenant-scope.ts";
import { type DeviceHome, deviceHomes } from "./device-homes.ts";
import { type DeviceStatus, deviceStatus } from "./device-status.ts";

export interface DeviceDetail {
  id: string;
  oui: string;
  productClass: string;
  serialNumber: string;
  manufacturer: string;
  modelName: string | null;
  softwareVersion: string | null;
  hardwareVersion: string | null;
  dataModelRoot: string | null;
  /** "cwmp" (TR-069, through the ingress) or "usp" (TR-369, through apps/usp). */
  protocol: "cwmp" | "usp";
  /** USP: the agent's endpoint id and the message transfer protocol it last used. */
  uspEndpointId: string | null;
  uspMtp: string | null;
  connectionRequestUrl: string | null;
  externalIp: string | null;
  macAddress: string | null;
  periodicInformInterval: number | null;
  tags: string[];
  firstInformAt: Date | null;
  lastInformAt: Date | null;
  lastBootAt: Date | null;
  provisionedAt: Date | null;
  createdAt: Date;
  status: DeviceStatus;
  domain: DomainRef;
  parameterCount: number;
  pendingTaskCount: number;
  /** What the viewer may do with this device, from their role on its domain. */
  permissions: Permission[];
  /** The room or subscriber line the device is provisioned for. */
  home: DeviceHome | null;
  /** When it serves a hotel room: the room, its site and the guest passphrase. */
  room: DeviceRoom | null;
}

export interface DeviceRoom {
  id: string;
  number: string;
  name: string;
  site: DomainRef;
  /** The room's current guest WiFi passphrase, always masked ("••••"); null when the room has none yet. */
  passphrase: string | null;
  /** Whether the reader's role on the site may reveal it (revealRoomPassphrase, audited). */
  canReveal: boolean;
}

export async function getDevice(
  db: ScopedDb,
  access: TenantAccess,
  id: string,
  now = new Date(),
): Promise<DeviceDetail> {
  const device = await db.device.findUnique({
    where: { id },
    select: {
      id: true,
      oui: true,
      productClass: true,
      serialNumber: true,
      manufacturer: true,
      modelName: true,
      softwareVersion: true,
      hardwareVersion: true,
      dataModelRoot: true,
      protocol: true,
      uspEndpointId: true,
      uspMtp: true,
      connectionRequestUrl: true,
      externalIp: true,
      macAddress: true,
      periodicInformInterval: true,
      tags: true,
      firstInformAt: true,
      lastInformAt: true,
      lastBootAt: true,
      provisionedAt: true,
      createdAt: true,
      tenant: { select: { id: true, name: true, kind: true, parentId: true, ancestorIds: true } },
      _count: { select: { parameters: true, tasks: { where: { state: { in: ["pending", "running"] } } } } },
    },
  });
  if (!device) throw new NotFound("device");
  const { tenant, _count, ...fields } = device;
  const [domain] = await withDomainPaths(db, [tenant]);
  const home = (await deviceHomes(db, [device.id])).get(device.id) ?? null;
  return {
    ...fields,
    status: deviceStatus(device, now),
    domain: domain!,
    parameterCount: _count.parameters,
    pendingTaskCount: _count.tasks,
    permissions: permissionsAt(access, tenant),
    home,
    room: home?.kind === "room" ? await deviceRoom(db, access, home) : null,
  };
}

async function deviceRoom(
  db: ScopedDb,
  access: TenantAccess,
  home: Extract<DeviceHome, { kind: "room" }>,
): Promise<DeviceRoom | null> {
  const [room, site] = await Promise.all([
    db.room.findUnique({ where: { id: home.roomId }, select: { wifiPassphrase: true } }),
    db.tenant.findUnique({
      where: { id: home.siteId },
      select: { id: true, name: true, kind: true, parentId: true, ancestorIds: true },
    }),
  ]);
  if (!room || !site) return null;
  const [siteRef] = await withDomainPaths(db, [site]);
  return {
    id: home.roomId,
    number: home.number,
    name: home.name,
    site: siteRef!,
    passphrase: room.wifiPassphrase === null ? null : MASK,
    canReveal: permissionsAt(access, site).includes("secret.reveal"),
  };
}

/**
 * The current guest passphrase of the room a device serves, in clear, for someone whose role on the room's site
 * may reveal secrets; each reveal is audited (which room, never the value).
 */
export async function revealRoomPassphrase(
  db: ScopedDb,
  access: TenantAccess,
  input: { deviceId: string },
): Promise<{ roomId: string; number: string; passphrase: string | null }> {
  const device = await reachableDevice(db, input.deviceId);
  const home = (await deviceHomes(db, [device.id])).get(device.id);
  if (home?.kind !== "room") throw new NotFound("room");
  const room = await db.room.findUnique({
    where: { id: home.roomId },
    select: { id: true, number: true, wifiPassphrase: true, tenantId: true, tenant: { select: { ancestorIds: true } } },
  });
  if (!room) throw new NotFound("room");
  authorize(access, "secret.reveal", room.tenant);
  await appendAudit(db, {
    tenantId: room.tenantId,
    actorId: access.actor.id,
    actorLabel: access.actor.label,
    action: "room.revealPassphrase",
    targetType: "room",
    targetId: room.id,
    deviceId: device.id,
    after: { room: room.number },
  });
  return { roomId: room.id, number: room.number, passphrase: room.wifiPassphrase };
}

/** The device's tenant, for permission checks; NotFound when out of reach. */
export async function reachableDevice(db: ScopedDb, id: string) {
  const device = await db.device.findUnique({
    where: { id },
    select: { id: true, serialNumber: true, tenantId: true, tenant: { select: { name: true, ancestorIds: true } } },
  });
  if (!device) throw new NotFound("device");
  return device;
}
