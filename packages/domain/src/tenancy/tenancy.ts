import type { Db } from "@beacon/db";
import { type ConnectionRequestSettings, type WakeResult, wakeDevice } from "../connection-request/wake-device.ts";
import { NotFound } from "../errors.ts";
import type { Permission } from "./permissions.ts";
import { type ReachedDomain, type ReachTarget, reachableDomain } from "./reach.ts";
import { authorize, loadTenantAccess, type TenantAccess } from "./tenant-access.ts";
import { type ScopedDb, tenantScope } from "./tenant-scope.ts";

/**
 * What the API layer holds instead of the database: it can look up a signed-in user's access, open the database as
 * that user may see it, and ask a device within reach to connect. The raw client stays in here.
 */
export interface Tenancy {
  /** Null when the account no longer exists or is disabled. */
  accessFor(userId: string): Promise<TenantAccess | null>;
  scope(access: TenantAccess): ScopedDb;
  /**
   * Sends a connection request to a device the user can reach (it needs the device's credentials, which the scope
   * never returns) and records the outcome on the task.
   */
  wakeDevice(access: TenantAccess, deviceId: string, taskId: string): Promise<WakeResult>;
  /**
   * Runs work that needs the unscoped database (the templates, provisioning, sites and checkout functions check
   * nothing about the user) once the target is within reach (else NotFound) and the user's role on its domain
   * grants the permission (else NotAllowed). The client is lent to that work only.
   */
  withinReach<T>(
    access: TenantAccess,
    target: ReachTarget,
    permission: Permission,
    work: (db: Db, domain: ReachedDomain) => Promise<T>,
  ): Promise<T>;
}

/** `connectionRequests`: how this program sends them (allowed targets, Basic over HTTP, its log). */
export function createTenancy(db: Db, options: { connectionRequests?: ConnectionRequestSettings } = {}): Tenancy {
  return {
    accessFor: (userId) => loadTenantAccess(db, userId),
    scope: (access) => tenantScope(db, access),
    wakeDevice: async (access, deviceId, taskId) => {
      const reachable = await tenantScope(db, access).device.count({ where: { id: deviceId } });
      if (!reachable) throw new NotFound("device");
      return wakeDevice(db, deviceId, { taskId, settings: options.connectionRequests });
    },
    withinReach: async (access, target, permission, work) => {
      const domain = await reachableDomain(tenantScope(db, access), target);
      authorize(access, permission, domain);
      return work(db, domain);
    },
  };
}
