import { type DomainRef, withDomainPaths } from "../domains/domain-paths.ts";
import { NotFound } from "../errors.ts";
import type { Permission } from "../tenancy/permissions.ts";
import { permissionsAt, type TenantAccess } from "../tenancy/tenant-access.ts";
import type { ScopedDb } from "../tenancy/tenant-scope.ts";
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
  return {
    ...fields,
    status: deviceStatus(device, now),
    domain: domain!,
    parameterCount: _count.parameters,
    pendingTaskCount: _count.tasks,
    permissions: permissionsAt(access, tenant),
  };
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
