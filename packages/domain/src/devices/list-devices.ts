import type { Db } from "@beacon/db";

export interface DeviceListItem {
  id: string;
  oui: string;
  productClass: string;
  serialNumber: string;
  manufacturer: string;
  softwareVersion: string | null;
  tenant: { id: string; name: string };
  lastInformAt: Date | null;
}

/** Devices, newest contact first, optionally limited to a tenant and everything below it. */
export async function listDevices(
  db: Db,
  options: { tenantId?: string; limit?: number } = {},
): Promise<DeviceListItem[]> {
  const devices = await db.device.findMany({
    where: options.tenantId ? { tenant: { ancestorIds: { has: options.tenantId } } } : {},
    orderBy: [{ lastInformAt: { sort: "desc", nulls: "last" } }, { serialNumber: "asc" }],
    take: options.limit,
    select: {
      id: true,
      oui: true,
      productClass: true,
      serialNumber: true,
      manufacturer: true,
      softwareVersion: true,
      lastInformAt: true,
      tenant: { select: { id: true, name: true } },
    },
  });
  return devices;
}
