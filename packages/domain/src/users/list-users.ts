import type { Role } from "@beacon/db";
import { type DomainRef, withDomainPaths } from "../domains/domain-paths.ts";
import { NotFound } from "../errors.ts";
import { authorize, type TenantAccess } from "../tenancy/tenant-access.ts";
import type { ScopedDb } from "../tenancy/tenant-scope.ts";

export interface UserListItem {
  id: string;
  email: string;
  name: string;
  disabled: boolean;
  lastSignInAt: Date | null;
  createdAt: Date;
  /** Roles on domains the viewer can reach; roles elsewhere are not shown. */
  roles: { membershipId: string; role: Role; domain: DomainRef }[];
}

/** People with a role on `tenantId` or below it. */
export async function listUsers(
  db: ScopedDb,
  access: TenantAccess,
  input: { tenantId: string; query?: string },
): Promise<UserListItem[]> {
  const domain = await db.tenant.findUnique({ where: { id: input.tenantId }, select: { id: true, ancestorIds: true } });
  if (!domain) throw new NotFound("domain");
  authorize(access, "user.read", domain);
  const query = input.query?.trim();
  const users = await db.user.findMany({
    where: {
      memberships: { some: { tenant: { ancestorIds: { has: domain.id } } } },
      ...(query
        ? {
            OR: [
              { email: { contains: query, mode: "insensitive" } },
              { name: { contains: query, mode: "insensitive" } },
            ],
          }
        : {}),
    },
    select: {
      id: true,
      email: true,
      name: true,
      disabled: true,
      lastSignInAt: true,
      createdAt: true,
      memberships: {
        select: {
          id: true,
          role: true,
          tenant: { select: { id: true, name: true, kind: true, parentId: true, ancestorIds: true } },
        },
        orderBy: { createdAt: "asc" },
      },
    },
    orderBy: { email: "asc" },
    take: 500,
  });
  const tenants = users.flatMap((u) => u.memberships.map((m) => m.tenant));
  const domains = new Map((await withDomainPaths(db, tenants)).map((d) => [d.id, d]));
  return users.map(({ memberships, ...user }) => ({
    ...user,
    roles: memberships.map((m) => ({ membershipId: m.id, role: m.role, domain: domains.get(m.tenant.id)! })),
  }));
}
