import type { Db } from "@beacon/db";
import { loadTenantAccess } from "./tenant-access.ts";

/**
 * Whether a user holds a role on the platform tenant itself (the top of the tree): those who run Beacon, who see
 * its processes, restarts and storage on the status page. A hotel's or an integrator's staff do not.
 */
export async function isPlatformStaff(db: Db, userId: string): Promise<boolean> {
  const access = await loadTenantAccess(db, userId);
  if (!access) return false;
  const platform = await db.tenant.findFirst({ where: { parentId: null, kind: "platform" }, select: { id: true } });
  return platform !== null && access.memberships.some((membership) => membership.tenantId === platform.id);
}
