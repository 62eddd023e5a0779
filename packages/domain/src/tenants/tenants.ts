import type { Db, Tenant, TenantKind } from "@beacon/db";
import { Conflict, Invalid, NotFound } from "../errors.ts";

export const PLATFORM_NAME = "Platform";

/** The root of the tenancy tree, created on first start. */
export async function ensurePlatformTenant(db: Db): Promise<Tenant> {
  const existing = await db.tenant.findFirst({ where: { parentId: null, kind: "platform" } });
  if (existing) return existing;
  return db.$transaction(async (tx) => {
    const created = await tx.tenant.create({ data: { name: PLATFORM_NAME, kind: "platform", ancestorIds: [] } });
    return tx.tenant.update({ where: { id: created.id }, data: { ancestorIds: [created.id] } });
  });
}

export interface CreateTenantInput {
  name: string;
  kind: Exclude<TenantKind, "platform">;
  parentId: string;
  timeZone?: string;
}

export async function createTenant(db: Db, input: CreateTenantInput): Promise<Tenant> {
  const name = input.name.trim();
  if (!name) throw new Invalid("a domain needs a name");
  if (input.timeZone && !isTimeZone(input.timeZone)) throw new Invalid(`unknown time zone ${input.timeZone}`);
  const parent = await db.tenant.findUnique({ where: { id: input.parentId } });
  if (!parent) throw new NotFound("parent domain");
  const clash = await db.tenant.findFirst({ where: { parentId: parent.id, name } });
  if (clash) throw new Conflict(`${parent.name} already has a domain named ${name}`);
  return db.$transaction(async (tx) => {
    const created = await tx.tenant.create({
      data: {
        name,
        kind: input.kind,
        parentId: parent.id,
        ancestorIds: [],
        timeZone: input.timeZone ?? parent.timeZone,
      },
    });
    return tx.tenant.update({ where: { id: created.id }, data: { ancestorIds: [...parent.ancestorIds, created.id] } });
  });
}

export interface TenantSummary {
  id: string;
  name: string;
  kind: TenantKind;
  parentId: string | null;
  path: string;
  depth: number;
}

/** Every tenant, or the subtree below `rootId`, in tree order with a readable path ("Platform / Acme / Hotel"). */
export async function listTenants(db: Db, rootId?: string): Promise<TenantSummary[]> {
  const tenants = await db.tenant.findMany({
    where: rootId ? { ancestorIds: { has: rootId } } : {},
    select: { id: true, name: true, kind: true, parentId: true, ancestorIds: true },
  });
  const names = new Map(tenants.map((t) => [t.id, t.name]));
  const rows = tenants.map((t) => ({
    id: t.id,
    name: t.name,
    kind: t.kind,
    parentId: t.parentId,
    path: t.ancestorIds.map((id) => names.get(id) ?? "…").join(" / "),
    depth: t.ancestorIds.length - 1,
  }));
  return rows.sort((a, b) => a.path.localeCompare(b.path));
}

/** Finds a tenant by id or by its path or unique name, for the CLI. */
export async function findTenant(db: Db, idOrName: string): Promise<Tenant> {
  const byId = /^[0-9a-f-]{36}$/i.test(idOrName) ? await db.tenant.findUnique({ where: { id: idOrName } }) : null;
  if (byId) return byId;
  const matches = (await listTenants(db)).filter((t) => t.path === idOrName || t.name === idOrName);
  if (matches.length === 0) throw new NotFound(`domain ${idOrName}`);
  if (matches.length > 1)
    throw new Invalid(`${matches.length} domains are named ${idOrName}; give the full path or id`);
  const found = await db.tenant.findUnique({ where: { id: matches[0]!.id } });
  if (!found) throw new NotFound(`domain ${idOrName}`);
  return found;
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
