import { type DomainRef, withDomainPaths } from "../domains/domain-paths.ts";
import { NotFound } from "../errors.ts";
import { authorize, type TenantAccess } from "../tenancy/tenant-access.ts";
import type { ScopedDb } from "../tenancy/tenant-scope.ts";
import { type DeviceHome, deviceHomes } from "./device-homes.ts";
import { type DeviceQuery, deviceFilter, deviceOrder, domainTenantIds } from "./device-query.ts";
import { type DeviceStatus, deviceStatus } from "./device-status.ts";

export const DEVICE_ROW_SELECT = {
  id: true,
  oui: true,
  productClass: true,
  serialNumber: true,
  manufacturer: true,
  modelName: true,
  softwareVersion: true,
  hardwareVersion: true,
  externalIp: true,
  macAddress: true,
  lastInformAt: true,
  periodicInformInterval: true,
  tenant: { select: { id: true, name: true, kind: true, parentId: true, ancestorIds: true } },
} as const;

export interface DeviceRow {
  id: string;
  oui: string;
  productClass: string;
  serialNumber: string;
  manufacturer: string;
  modelName: string | null;
  softwareVersion: string | null;
  hardwareVersion: string | null;
  externalIp: string | null;
  macAddress: string | null;
  lastInformAt: Date | null;
  periodicInformInterval: number | null;
  status: DeviceStatus;
  domain: DomainRef;
  /** The room or subscriber line the device is provisioned for, when it is and the reader may see it. */
  home: DeviceHome | null;
}

export interface DevicePage {
  rows: DeviceRow[];
  /** Matches counted; when `totalExact` is false there are more than this. */
  total: number;
  totalExact: boolean;
  page: number;
  pageSize: number;
}

/**
 * Counting stops this many matches past the current page unless asked for an exact total: the page itself
 * reads a few index entries, while each match counted costs a heap visit (Prisma counts ids), and at a million
 * devices spread over many tenants 10,000 of them took 180 ms (bench D). Past this the list says "more than".
 */
export const DEVICE_COUNT_AHEAD = 1_000;

/** One page of the devices list: searched, filtered and sorted in the database. */
export async function findDevices(
  db: ScopedDb,
  access: TenantAccess,
  query: DeviceQuery,
  options: { exactTotal?: boolean; now?: Date } = {},
): Promise<DevicePage> {
  const now = options.now ?? new Date();
  await checkDomain(db, access, query.tenantId);
  const { where, truncated } = await deviceFilter(db, query, now);
  // A search is counted whole. Its matches come from the trigram indexes, a bitmap of a few thousand rows; a capped
  // count orders by id to stop early, and when the matches are rarer than PostgreSQL guessed it walks the primary
  // key, testing row after row (support's "416" at 1,000,000 devices: 2.9 s instead of 20 ms; bench D).
  const cap = options.exactTotal || query.search ? undefined : query.page * query.pageSize + DEVICE_COUNT_AHEAD;
  const [counted, devices] = await Promise.all([
    db.device.count({ where, take: cap === undefined ? undefined : cap + 1 }),
    db.device.findMany({
      where,
      orderBy: deviceOrder(query),
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize,
      select: DEVICE_ROW_SELECT,
    }),
  ]);
  const totalExact = !truncated && (cap === undefined || counted <= cap);
  return {
    rows: await toDeviceRows(db, devices, now),
    total: cap === undefined || counted <= cap ? counted : cap,
    totalExact,
    page: query.page,
    pageSize: query.pageSize,
  };
}

export async function checkDomain(db: ScopedDb, access: TenantAccess, tenantId: string | undefined): Promise<void> {
  if (!tenantId) return;
  const domain = await db.tenant.findUnique({ where: { id: tenantId }, select: { ancestorIds: true } });
  if (!domain) throw new NotFound("domain");
  authorize(access, "device.read", domain);
}

type DeviceRecord = Omit<DeviceRow, "status" | "domain" | "home"> & {
  tenant: { id: string; name: string; kind: DomainRef["kind"]; parentId: string | null; ancestorIds: string[] };
};

export async function toDeviceRows(db: ScopedDb, devices: DeviceRecord[], now: Date): Promise<DeviceRow[]> {
  const [homes, paths] = await Promise.all([
    deviceHomes(
      db,
      devices.map((d) => d.id),
    ),
    withDomainPaths(
      db,
      devices.map((d) => d.tenant),
    ),
  ]);
  const domains = new Map(paths.map((d) => [d.id, d]));
  return devices.map(({ tenant, ...device }) => ({
    ...device,
    status: deviceStatus(device, now),
    domain: domains.get(tenant.id)!,
    home: homes.get(device.id) ?? null,
  }));
}

/** Values for the model and firmware filters, from the devices of a domain. */
export async function deviceFacets(
  db: ScopedDb,
  access: TenantAccess,
  input: { tenantId?: string },
): Promise<{ models: string[]; firmware: string[] }> {
  await checkDomain(db, access, input.tenantId);
  const where = input.tenantId ? { tenantId: { in: await domainTenantIds(db, input.tenantId) } } : {};
  const [models, firmware] = await Promise.all([
    db.device.findMany({
      where,
      distinct: ["modelName", "productClass"],
      select: { modelName: true, productClass: true },
    }),
    db.device.findMany({
      where: { ...where, softwareVersion: { not: null } },
      distinct: ["softwareVersion"],
      select: { softwareVersion: true },
    }),
  ]);
  const modelNames = new Set(models.map((m) => m.modelName ?? m.productClass).filter(Boolean));
  const versions = new Set(firmware.map((f) => f.softwareVersion!));
  const collator = new Intl.Collator("en", { numeric: true });
  return { models: [...modelNames].sort(collator.compare), firmware: [...versions].sort(collator.compare) };
}
