import type { TenantKind } from "@beacon/db";
import type { ScopedDb } from "../tenancy/tenant-scope.ts";

/** A domain as the console shows it: its path starts at the highest domain the user may reach. */
export interface DomainRef {
  id: string;
  name: string;
  kind: TenantKind;
  /** Null for a top domain and for a domain whose parent the user cannot reach. */
  parentId: string | null;
  /** Names from the user's topmost reachable domain down to this one. */
  path: string[];
  /** Ids matching `path`, for breadcrumbs. */
  pathIds: string[];
}

interface TenantRow {
  id: string;
  name: string;
  kind: TenantKind;
  parentId: string | null;
  ancestorIds: string[];
}

export const DOMAIN_SELECT = { id: true, name: true, kind: true, parentId: true, ancestorIds: true } as const;

/** Adds readable paths to tenant rows, reading only ancestors within the scope. */
export async function withDomainPaths(db: ScopedDb, rows: TenantRow[]): Promise<DomainRef[]> {
  const ancestorIds = [...new Set(rows.flatMap((row) => row.ancestorIds))];
  const ancestors = await db.tenant.findMany({ where: { id: { in: ancestorIds } }, select: { id: true, name: true } });
  const names = new Map(ancestors.map((a) => [a.id, a.name]));
  return rows.map((row) => {
    const pathIds = row.ancestorIds.filter((id) => names.has(id));
    return {
      id: row.id,
      name: row.name,
      kind: row.kind,
      // A parent outside the reach stays unnamed, down to its id.
      parentId: row.parentId && names.has(row.parentId) ? row.parentId : null,
      path: pathIds.map((id) => names.get(id)!),
      pathIds,
    };
  });
}
