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
  /**
   * Any part of a serial number, a MAC address (any separators or none), an IP address, or of the number or name of
   * the device's room or the id of its subscriber: "103" finds room 103 and the device HWTC7A1B0103.
   */
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
  return (await deviceFilter(db, query, now)).where;
}

/**
 * The where clause, and whether the search matched more rooms and subscriber lines than it follows to their
 * devices (ASSIGNED_MATCH_LIMIT): then the count of matches is a lower bound.
 */
export async function deviceFilter(
  db: ScopedDb,
  query: DeviceQuery,
  now: Date,
): Promise<{ where: Prisma.DeviceWhereInput; truncated: boolean }> {
  const and: Prisma.DeviceWhereInput[] = [];
  const search = query.search?.trim();
  // The domain's tenants and what the search matches through rooms and lines are read side by side.
  const [tenantIds, assigned] = await Promise.all([
    query.tenantId ? domainTenantIds(db, query.tenantId) : undefined,
    search ? assignedDeviceIds(db, search, query.tenantId) : undefined,
  ]);
  if (tenantIds) and.push({ tenantId: { in: tenantIds } });
  if (query.model) and.push({ OR: [{ modelName: query.model }, { modelName: null, productClass: query.model }] });
  if (query.firmware) and.push({ softwareVersion: query.firmware });
  let truncated = false;
  if (search && assigned) {
    truncated = assigned.truncated;
    const terms = searchTerms(search);
    if (assigned.ids.length > 0) terms.push({ id: { in: assigned.ids } });
    and.push({ OR: terms });
  }
  const within: Prisma.DeviceWhereInput = { AND: [...and] };
  if (query.status) and.push(await statusWhere(db, within, query.status, now));
  return { where: { AND: and }, truncated };
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

/**
 * A trigram index finds a value containing a text of three characters or more; a shorter one has no trigram to look
 * up, so it is matched at the start only (which the same index serves through its padded first trigrams).
 */
const MIN_INSIDE = 3;

/**
 * Rooms and subscriber lines a search follows to their devices: past this many the list shows the devices of the
 * first ones and says "more than" (a search that matches thousands of rooms narrows nothing for support anyway).
 */
export const ASSIGNED_MATCH_LIMIT = 1_000;

function text(search: string): Prisma.StringFilter {
  return search.length >= MIN_INSIDE
    ? { contains: search, mode: "insensitive" }
    : { startsWith: search, mode: "insensitive" };
}

/** What the search matches on the device row itself: serial number, IP address, MAC address. */
function searchTerms(search: string): Prisma.DeviceWhereInput[] {
  const terms: Prisma.DeviceWhereInput[] = [
    { serialNumber: text(search) },
    { externalIp: text(search) },
    { macAddress: text(search) },
  ];
  for (const spelling of macSpellings(search)) terms.push({ macAddress: text(spelling) });
  return terms;
}

/**
 * A MAC address or a part of one typed with other separators or none ("7a1b01", "7A-1B-01", "a1b0") as Beacon
 * stores it (colons, as the device reports it): the hex digits with a colon after every second one, from either
 * alignment, since the part may start in the middle of a byte.
 */
export function macSpellings(search: string): string[] {
  const hex = search.replace(/[\s:.-]/g, "");
  if (!/^[0-9a-f]+$/i.test(hex) || hex.length < 2 || hex.length > 12) return [];
  const spellings = new Set<string>();
  for (const offset of [0, 1]) {
    const groups: string[] = [];
    if (offset === 1) groups.push(hex.slice(0, 1));
    for (let i = offset; i < hex.length; i += 2) groups.push(hex.slice(i, i + 2));
    const spelled = groups.join(":");
    if (spelled !== search && spelled.length >= MIN_INSIDE) spellings.add(spelled);
  }
  return [...spellings];
}

/**
 * Devices whose current room (number or name) or subscriber line (the subscriber's id) matches the search, within
 * the domain when one is given. Read first and passed to the list as ids, so that PostgreSQL combines every part
 * of the search from indexes (a bitmap OR) instead of testing each device against a join.
 */
async function assignedDeviceIds(
  db: ScopedDb,
  search: string,
  domainId: string | undefined,
): Promise<{ ids: string[]; truncated: boolean }> {
  // Rooms and lines in one round trip each, side by side: a round trip costs more than these index reads.
  const inDomain = domainId ? { tenant: { ancestorIds: { has: domainId } } } : {};
  const [rooms, lines] = await Promise.all([
    db.room.findMany({
      where: { ...inDomain, OR: [{ number: text(search) }, { name: text(search) }] },
      select: { id: true },
      take: ASSIGNED_MATCH_LIMIT + 1,
    }),
    db.line.findMany({
      where: { ...inDomain, subscriber: { externalId: text(search) } },
      select: { id: true },
      take: ASSIGNED_MATCH_LIMIT + 1,
    }),
  ]);
  const truncated = rooms.length > ASSIGNED_MATCH_LIMIT || lines.length > ASSIGNED_MATCH_LIMIT;
  const roomIds = rooms.slice(0, ASSIGNED_MATCH_LIMIT).map((r) => r.id);
  const lineIds = lines.slice(0, ASSIGNED_MATCH_LIMIT).map((l) => l.id);
  if (roomIds.length === 0 && lineIds.length === 0) return { ids: [], truncated };
  const assignments = await db.deviceAssignment.findMany({
    where: {
      state: "provisioned",
      deviceId: { not: null },
      OR: [
        ...(roomIds.length ? [{ roomId: { in: roomIds } }] : []),
        ...(lineIds.length ? [{ lineId: { in: lineIds } }] : []),
      ],
    },
    select: { deviceId: true },
  });
  return { ids: [...new Set(assignments.map((a) => a.deviceId!))], truncated };
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
