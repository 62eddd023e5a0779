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
   * The same scope for reads that may lag a moment (lists, a device's page): on the read replica when there is
   * one (DATABASE_REPLICA_URL), except for a user who wrote within the last few seconds, who reads the primary
   * so as to see that write. Never for writes.
   */
  readScope(access: TenantAccess): ScopedDb;
  /** Notes that the user has just written: their reads go to the primary for a while (see readScope). */
  wrote(access: TenantAccess): void;
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
/**
 * How long after a user's write their reads stay on the primary: longer than a healthy replica's lag (well under a
 * second with streaming replication), so that a user sees what they just did.
 */
export const READ_YOUR_WRITES_MS = 5_000;

/**
 * `replica`: a client of a read replica of `db` (DATABASE_REPLICA_URL) for `readScope`; without it every read
 * goes to `db`. `clock` is for tests.
 */
export function createTenancy(
  db: Db,
  options: { connectionRequests?: ConnectionRequestSettings; replica?: Db; clock?: () => number } = {},
): Tenancy {
  const { replica } = options;
  const clock = options.clock ?? Date.now;
  // Per process: behind a load balancer a user's next request may reach another console, which has not seen the
  // write; sticky sessions (or reading the primary) cover that case.
  const lastWrite = new Map<string, number>();
  const readsPrimary = (userId: string) => {
    const at = lastWrite.get(userId);
    if (at === undefined) return false;
    if (clock() - at < READ_YOUR_WRITES_MS) return true;
    lastWrite.delete(userId);
    return false;
  };
  return {
    accessFor: (userId) => loadTenantAccess(db, userId),
    scope: (access) => tenantScope(db, access),
    readScope: (access) => tenantScope(replica && !readsPrimary(access.userId) ? replica : db, access),
    wrote: (access) => {
      if (replica) lastWrite.set(access.userId, clock());
    },
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
