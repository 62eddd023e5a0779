import type { Db } from "@beacon/db";
import { loadTenantAccess, type TenantAccess } from "./tenant-access.ts";
import { type ScopedDb, tenantScope } from "./tenant-scope.ts";

/**
 * What the API layer holds instead of the database: it can look up a signed-in user's access and open the
 * database as that user may see it, and nothing else.
 */
export interface Tenancy {
  /** Null when the account no longer exists or is disabled. */
  accessFor(userId: string): Promise<TenantAccess | null>;
  scope(access: TenantAccess): ScopedDb;
  /**
   * The database without the scope, for the domain functions that take it (templates, provisioning, sites,
   * checkout). The API hands it to them only after reading their targets through scope() and checking the role.
   */
  unscoped(): Db;
}

export function createTenancy(db: Db): Tenancy {
  return {
    accessFor: (userId) => loadTenantAccess(db, userId),
    scope: (access) => tenantScope(db, access),
    unscoped: () => db,
  };
}
