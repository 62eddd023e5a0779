import type { Role } from "@beacon/db";
import { DOMAIN_SELECT, type DomainRef, withDomainPaths } from "../domains/domain-paths.ts";
import { NotFound } from "../errors.ts";
import { isLocale, type Locale } from "../users/locales.ts";
import { type Permission, ROLE_PERMISSIONS } from "./permissions.ts";
import type { TenantAccess } from "./tenant-access.ts";
import type { ScopedDb } from "./tenant-scope.ts";

export interface AccessSummary {
  /** `locale`: the console language the person chose; null follows the domain's default, then the browser. */
  user: { id: string; email: string; name: string; locale: Locale | null };
  memberships: { domain: DomainRef; role: Role; permissions: Permission[] }[];
}

/** Who the signed-in user is and where they hold roles, for the console's shell and domain switcher. */
export async function describeAccess(db: ScopedDb, access: TenantAccess): Promise<AccessSummary> {
  const user = await db.user.findUnique({
    where: { id: access.userId },
    select: { id: true, email: true, name: true, locale: true },
  });
  if (!user) throw new NotFound("user");
  const tenants = await db.tenant.findMany({
    where: { id: { in: access.memberships.map((m) => m.tenantId) } },
    select: DOMAIN_SELECT,
  });
  const domains = new Map((await withDomainPaths(db, tenants)).map((d) => [d.id, d]));
  const memberships = access.memberships.flatMap((membership) => {
    const domain = domains.get(membership.tenantId);
    return domain ? [{ domain, role: membership.role, permissions: [...ROLE_PERMISSIONS[membership.role]] }] : [];
  });
  memberships.sort(
    (a, b) => a.domain.pathIds.length - b.domain.pathIds.length || a.domain.name.localeCompare(b.domain.name),
  );
  return { user: { ...user, locale: isLocale(user.locale) ? user.locale : null }, memberships };
}
