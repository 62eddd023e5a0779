import type { Prisma } from "@beacon/db";
import { z } from "zod";
import type { ScopedDb } from "../tenancy/tenant-scope.ts";
import { DeviceStatus, statusWhere } from "./device-status.ts";

export const DEVICE_SORTS = [
  "serialNumber",
  "modelName",
  "softwareVersion",
  "lastInformAt",
  "externalIp",
  "domain",
] as const;

/** What the devices list asks for: a domain, a search, filters, a sort and a page. */
export const DeviceQuery = z.object({
  /** This domain and everything below it; all reachable devices when absent. */
  tenantId: z.uuid().optional(),
  /** A serial number prefix, a MAC address (any separators) or an IP address prefix. */
  search: z.string().trim().max(100).optional(),
  model: z.string().max(200).optional(),
  firmware: z.string().max(200).optional(),
  status: DeviceStatus.optional(),
  sort: z.enum(DEVICE_SORTS).default("lastInformAt"),
  direction: z.enum(["asc", "desc"]).default("desc"),
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(100).default(25),
});
export type DeviceQuery = z.output<typeof DeviceQuery>;

/** The filtering part of a DeviceQuery, as a Prisma where clause (the tenant scope is added by the client). */
export async function deviceWhere(db: ScopedDb, query: DeviceQuery, now: Date): Promise<Prisma.DeviceWhereInput> {
  const and: Prisma.DeviceWhereInput[] = [];
  if (query.tenantId) and.push({ tenantId: { in: await domainTenantIds(db, query.tenantId) } });
  if (query.model) and.push({ OR: [{ modelName: query.model }, { modelName: null, productClass: query.model }] });
  if (query.firmware) and.push({ softwareVersion: query.firmware });
  const search = query.search?.trim();
  if (search) and.push({ OR: searchTerms(search) });
  const within: Prisma.DeviceWhereInput = { AND: [...and] };
  if (query.status) and.push(await statusWhere(db, within, query.status, now));
  return { AND: and };
}

/**
 * A domain and the domains below it, as ids: a list filtered by `tenantId IN (...)` lets PostgreSQL read a small
 * domain's devices from the per-tenant index and walk the list-order one for a large domain, where a join on
 * Tenant.ancestorIds hides which tenants match.
 */
export async function domainTenantIds(db: ScopedDb, tenantId: string): Promise<string[]> {
  const tenants = await db.tenant.findMany({ where: { ancestorIds: { has: tenantId } }, select: { id: true } });
  return tenants.map((t) => t.id);
}

function searchTerms(search: string): Prisma.DeviceWhereInput[] {
  const terms: Prisma.DeviceWhereInput[] = [
    { serialNumber: { startsWith: search, mode: "insensitive" } },
    { externalIp: { startsWith: search } },
    { macAddress: { contains: search, mode: "insensitive" } },
  ];
  const hex = search.replace(/[\s:.-]/g, "");
  if (/^[0-9a-f]{2,12}$/i.test(hex) && hex.length % 2 === 0) {
    const colons = hex.toUpperCase().match(/../g)!.join(":");
    if (colons !== search) terms.push({ macAddress: { contains: colons, mode: "insensitive" } });
  }
  return terms;
}

export function deviceOrder(query: DeviceQuery): Prisma.DeviceOrderByWithRelationInput[] {
  const direction = query.direction;
  const primary: Prisma.DeviceOrderByWithRelationInput =
    query.sort === "domain"
      ? { tenant: { name: direction } }
      : query.sort === "lastInformAt"
        ? { lastInformAt: { sort: direction, nulls: "last" } }
        : query.sort === "serialNumber"
          ? { serialNumber: direction }
          : { [query.sort]: { sort: direction, nulls: "last" } };
  return [primary, { serialNumber: "asc" }, { id: "asc" }];
}
