import type { Db, Role } from "@beacon/db";
import { NotAllowed } from "../errors.ts";
import type { Actor } from "../users/users.ts";
import { type Permission, ROLE_PERMISSIONS, strongerRole } from "./permissions.ts";

/** Who is acting and on which tenants: each membership covers its tenant and everything below it. */
export interface TenantAccess {
  userId: string;
  actor: Actor;
  memberships: readonly { tenantId: string; role: Role }[];
}

/** Any row whose tenant carries one of these ids in its ancestorIds is within reach. */
export function rootTenantIds(access: TenantAccess): string[] {
  return [...new Set(access.memberships.map((m) => m.tenantId))];
}

/** The strongest role the user holds on a tenant, through a membership on it or on any ancestor. */
export function roleAt(access: TenantAccess, tenant: { ancestorIds: readonly string[] }): Role | null {
  let role: Role | null = null;
  for (const membership of access.memberships) {
    if (!tenant.ancestorIds.includes(membership.tenantId)) continue;
    role = role ? strongerRole(role, membership.role) : membership.role;
  }
  return role;
}

export function permissionsAt(access: TenantAccess, tenant: { ancestorIds: readonly string[] }): Permission[] {
  const role = roleAt(access, tenant);
  return role ? [...ROLE_PERMISSIONS[role]] : [];
}

/**
 * Throws NotAllowed unless the user's role on `tenant` grants `permission`. Call it only for rows already read
 * through the tenant scope: rows out of reach must surface as NotFound, which the scope does.
 */
export function authorize(
  access: TenantAccess,
  permission: Permission,
  tenant: { ancestorIds: readonly string[] },
): void {
  if (!permissionsAt(access, tenant).includes(permission)) {
    throw new NotAllowed(`your role here does not allow ${PERMISSION_PHRASES[permission]}`);
  }
}

const PERMISSION_PHRASES: Record<Permission, string> = {
  "device.read": "viewing devices",
  "device.reboot": "rebooting devices",
  "device.refresh": "refreshing device parameters",
  "device.setParameter": "changing device parameters",
  "device.factoryReset": "factory resetting devices",
  "device.move": "moving devices between domains",
  "secret.reveal": "revealing passwords, passphrases and keys",
  "tenant.read": "viewing domains",
  "tenant.manage": "managing domains",
  "user.read": "viewing users",
  "user.manage": "managing users",
  "audit.read": "reading the audit log",
  "room.checkout": "checking rooms out",
  "alarm.acknowledge": "acknowledging alarms",
  "template.manage": "managing templates",
  "provisioning.manage": "managing sites, subscribers and device provisioning",
  "firmware.manage": "uploading firmware and running firmware campaigns",
};

/** The access of a signed-in user, or null when the account is gone or disabled (its session no longer counts). */
export async function loadTenantAccess(db: Db, userId: string): Promise<TenantAccess | null> {
  const user = await db.user.findUnique({
    where: { id: userId },
    select: { id: true, email: true, disabled: true, memberships: { select: { tenantId: true, role: true } } },
  });
  if (!user || user.disabled) return null;
  return { userId: user.id, actor: { id: user.id, label: user.email }, memberships: user.memberships };
}
