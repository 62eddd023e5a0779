import type { Role, TenantKind } from "@beacon/db";
import { NotFound } from "../errors.ts";
import type { Permission } from "../tenancy/permissions.ts";
import { permissionsAt, roleAt, type TenantAccess } from "../tenancy/tenant-access.ts";
import type { ScopedDb } from "../tenancy/tenant-scope.ts";
import { cardLocalesOf, isLocale, type Locale } from "../users/locales.ts";
import { DOMAIN_SELECT, type DomainRef, withDomainPaths } from "./domain-paths.ts";

export interface DomainListItem extends DomainRef {
  role: Role | null;
  childCount: number;
  /** Devices directly in this domain (not below it). */
  deviceCount: number;
}

export interface ListDomainsInput {
  /** Only this domain and those below it; every reachable domain when absent. */
  underId?: string;
  /** Part of a domain's name, any case. */
  query?: string;
  limit?: number;
}

/** Domains the user may reach, in tree order, for the domains page and the domain switcher. */
export async function listDomains(
  db: ScopedDb,
  access: TenantAccess,
  input: ListDomainsInput = {},
): Promise<DomainListItem[]> {
  const query = input.query?.trim();
  const tenants = await db.tenant.findMany({
    where: {
      ...(input.underId ? { ancestorIds: { has: input.underId } } : {}),
      ...(query ? { name: { contains: query, mode: "insensitive" } } : {}),
    },
    select: { ...DOMAIN_SELECT, _count: { select: { children: true, devices: true } } },
    orderBy: { name: "asc" },
    take: Math.min(input.limit ?? 500, 500),
  });
  const refs = await withDomainPaths(db, tenants);
  const items = refs.map((ref, index) => ({
    ...ref,
    role: roleAt(access, { ancestorIds: tenants[index]!.ancestorIds }),
    childCount: tenants[index]!._count.children,
    deviceCount: tenants[index]!._count.devices,
  }));
  return items.sort((a, b) => comparePaths(a.path, b.path));
}

function comparePaths(a: string[], b: string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const order = a[i]!.localeCompare(b[i]!);
    if (order !== 0) return order;
  }
  return a.length - b.length;
}

export interface DomainDetail extends DomainRef {
  kind: TenantKind;
  timeZone: string;
  /** The console's language for the domain's people who chose none; null follows their browser. */
  defaultLocale: Locale | null;
  /** The guest WiFi card's languages, side by side (at least one). */
  cardLocales: Locale[];
  role: Role | null;
  permissions: Permission[];
  /** False for the user's own top domain: its parent is not theirs to see. */
  parentReachable: boolean;
}

export async function getDomain(db: ScopedDb, access: TenantAccess, id: string): Promise<DomainDetail> {
  const tenant = await db.tenant.findUnique({
    where: { id },
    select: { ...DOMAIN_SELECT, timeZone: true, defaultLocale: true, cardLocales: true },
  });
  if (!tenant) throw new NotFound("domain");
  const [ref] = await withDomainPaths(db, [tenant]);
  return {
    ...ref!,
    timeZone: tenant.timeZone,
    defaultLocale: isLocale(tenant.defaultLocale) ? tenant.defaultLocale : null,
    cardLocales: cardLocalesOf(tenant),
    role: roleAt(access, tenant),
    permissions: permissionsAt(access, tenant),
    parentReachable: ref!.pathIds.length > 1,
  };
}
