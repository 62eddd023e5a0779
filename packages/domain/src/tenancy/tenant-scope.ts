import type { Db, Prisma } from "@beacon/db";
import { NotFound } from "../errors.ts";
import { rootTenantIds, type TenantAccess } from "./tenant-access.ts";

/**
 * The tenant boundary of the console, enforced in one place: a Prisma client whose every query is limited to
 * the tenants a user may reach (their memberships' tenants and everything below). Rows out of reach behave as if
 * they did not exist, so callers answer NotFound and never reveal them.
 */

type ModelName = Prisma.ModelName;

/** How a row of each model belongs to a tenant. Every model of schema.prisma is listed (tenant-scope.test.ts). */
export const TENANT_OWNERSHIP = {
  Tenant: "self",
  Membership: "tenantId",
  Device: "tenantId",
  Task: "tenantId",
  File: "tenantId",
  AuditEvent: "tenantId",
  DeviceParameter: "device",
  DeviceEvent: "device",
  CwmpSession: "device",
  User: "membership",
  Template: "tenantId",
  TemplateVersion: "tenantId",
  DeviceTemplate: "tenantId",
  Building: "tenantId",
  Floor: "tenantId",
  Room: "tenantId",
  Subscriber: "tenantId",
  Line: "tenantId",
  DeviceAssignment: "tenantId",
  Checkout: "tenantId",
  // Protocol state of the CWMP ingress, never read or written by the console.
  DigestNonce: "unreachable",
} as const satisfies Record<ModelName, "self" | "tenantId" | "device" | "membership" | "unreachable">;

interface Relation {
  model: ModelName;
  many: boolean;
}

/** Relation fields per model, so nested reads get the same limits and nested writes are refused. */
export const TENANT_RELATIONS: Record<ModelName, Record<string, Relation>> = {
  Tenant: {
    parent: { model: "Tenant", many: false },
    children: { model: "Tenant", many: true },
    memberships: { model: "Membership", many: true },
    devices: { model: "Device", many: true },
    auditEvents: { model: "AuditEvent", many: true },
    tasks: { model: "Task", many: true },
    files: { model: "File", many: true },
    templates: { model: "Template", many: true },
    templateVersions: { model: "TemplateVersion", many: true },
    deviceTemplates: { model: "DeviceTemplate", many: true },
    buildings: { model: "Building", many: true },
    floors: { model: "Floor", many: true },
    rooms: { model: "Room", many: true },
    subscribers: { model: "Subscriber", many: true },
    lines: { model: "Line", many: true },
    deviceAssignments: { model: "DeviceAssignment", many: true },
    checkouts: { model: "Checkout", many: true },
  },
  User: { memberships: { model: "Membership", many: true } },
  Membership: { user: { model: "User", many: false }, tenant: { model: "Tenant", many: false } },
  Device: {
    tenant: { model: "Tenant", many: false },
    parameters: { model: "DeviceParameter", many: true },
    events: { model: "DeviceEvent", many: true },
    tasks: { model: "Task", many: true },
    sessions: { model: "CwmpSession", many: true },
    templates: { model: "DeviceTemplate", many: true },
    assignments: { model: "DeviceAssignment", many: true },
    checkouts: { model: "Checkout", many: true },
  },
  DeviceParameter: { device: { model: "Device", many: false } },
  DeviceEvent: { device: { model: "Device", many: false } },
  Task: { tenant: { model: "Tenant", many: false }, device: { model: "Device", many: false } },
  CwmpSession: { device: { model: "Device", many: false } },
  DigestNonce: {},
  File: { tenant: { model: "Tenant", many: false } },
  AuditEvent: { tenant: { model: "Tenant", many: false } },
  Template: {
    tenant: { model: "Tenant", many: false },
    versions: { model: "TemplateVersion", many: true },
    devices: { model: "DeviceTemplate", many: true },
  },
  TemplateVersion: {
    tenant: { model: "Tenant", many: false },
    template: { model: "Template", many: false },
    devices: { model: "DeviceTemplate", many: true },
  },
  DeviceTemplate: {
    tenant: { model: "Tenant", many: false },
    device: { model: "Device", many: false },
    template: { model: "Template", many: false },
    templateVersion: { model: "TemplateVersion", many: false },
  },
  Building: { tenant: { model: "Tenant", many: false }, floors: { model: "Floor", many: true } },
  Floor: {
    tenant: { model: "Tenant", many: false },
    building: { model: "Building", many: false },
    rooms: { model: "Room", many: true },
  },
  Room: {
    tenant: { model: "Tenant", many: false },
    floor: { model: "Floor", many: false },
    assignments: { model: "DeviceAssignment", many: true },
    checkouts: { model: "Checkout", many: true },
  },
  Subscriber: { tenant: { model: "Tenant", many: false }, lines: { model: "Line", many: true } },
  Line: {
    tenant: { model: "Tenant", many: false },
    subscriber: { model: "Subscriber", many: false },
    assignments: { model: "DeviceAssignment", many: true },
  },
  DeviceAssignment: {
    tenant: { model: "Tenant", many: false },
    room: { model: "Room", many: false },
    line: { model: "Line", many: false },
    device: { model: "Device", many: false },
  },
  Checkout: {
    tenant: { model: "Tenant", many: false },
    room: { model: "Room", many: false },
    device: { model: "Device", many: false },
  },
};

/** Columns the console never returns, whatever a query asks for. */
export const SECRET_FIELDS: Partial<Record<ModelName, readonly string[]>> = {
  User: ["passwordHash"],
  Device: ["cwmpHa1Md5", "cwmpHa1Sha256", "connReqPassword"],
};

/** A query the scoped client refuses to run: a programming error, not a user's. */
export class TenantScopeViolation extends Error {
  override name = "TenantScopeViolation";
}

const ROW_RETURNING = new Set([
  "findUnique",
  "findUniqueOrThrow",
  "findFirst",
  "findFirstOrThrow",
  "findMany",
  "create",
  "createManyAndReturn",
  "update",
  "updateManyAndReturn",
  "upsert",
  "delete",
]);
const CREATING = new Set(["create", "createMany", "createManyAndReturn"]);
const UPDATING = new Set(["update", "updateMany", "updateManyAndReturn"]);
const FILTERED = new Set([
  "findUnique",
  "findUniqueOrThrow",
  "findFirst",
  "findFirstOrThrow",
  "findMany",
  "count",
  "aggregate",
  "groupBy",
  "update",
  "updateMany",
  "updateManyAndReturn",
  "upsert",
  "delete",
  "deleteMany",
]);

type Args = Record<string, unknown>;
type Where = Record<string, unknown>;

function isRecord(value: unknown): value is Args {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The query rewriting for one user's reach; holds the unscoped client only to verify write targets. */
class TenantBoundary {
  private readonly tenantFilter: Where;

  constructor(
    private readonly db: Db,
    private readonly roots: readonly string[],
  ) {
    this.tenantFilter = { ancestorIds: { hasSome: [...roots] } };
  }

  whereFor(model: ModelName): Where {
    switch (TENANT_OWNERSHIP[model]) {
      case "self":
        return this.tenantFilter;
      case "tenantId":
        return { tenant: this.tenantFilter };
      case "device":
        return { device: { tenant: this.tenantFilter } };
      case "membership":
        return { memberships: { some: { tenant: this.tenantFilter } } };
      case "unreachable":
        throw new TenantScopeViolation(`${model} rows are not reachable through the tenant-scoped client`);
    }
  }

  async rewrite(model: ModelName, operation: string, input: unknown): Promise<Args> {
    const args: Args = isRecord(input) ? { ...input } : {};
    const scope = this.whereFor(model);
    if (FILTERED.has(operation)) args.where = withScope(args.where, scope);
    if (CREATING.has(operation)) await this.checkWrites(model, args.data, true);
    if (UPDATING.has(operation)) await this.checkWrites(model, args.data, false);
    if (operation === "upsert") {
      await this.checkWrites(model, args.create, true);
      await this.checkWrites(model, args.update, false);
    }
    if (ROW_RETURNING.has(operation)) Object.assign(args, this.rewriteSelection(model, args));
    return args;
  }

  /** Limits nested reads: lists get the scope filter, secrets are left out, and no tenant is read upwards. */
  private rewriteSelection(model: ModelName, args: Args): Args {
    const out: Args = {};
    if (isRecord(args.select)) {
      out.select = this.rewriteFields(model, args.select);
    } else {
      const secrets = SECRET_FIELDS[model];
      if (secrets?.length) {
        const omit = isRecord(args.omit) ? { ...args.omit } : {};
        for (const field of secrets) omit[field] = true;
        out.omit = omit;
      }
      if (isRecord(args.include)) out.include = this.rewriteFields(model, args.include);
    }
    return out;
  }

  private rewriteFields(model: ModelName, fields: Args): Args {
    const out: Args = {};
    for (const [field, value] of Object.entries(fields)) {
      if (value === false || value === undefined) {
        out[field] = value;
        continue;
      }
      if (field === "_count") {
        out._count = this.rewriteCount(model, value);
        continue;
      }
      if (SECRET_FIELDS[model]?.includes(field)) {
        throw new TenantScopeViolation(`${model}.${field} is a secret and is never read through the console`);
      }
      const relation = TENANT_RELATIONS[model][field];
      if (!relation) {
        out[field] = value;
        continue;
      }
      if (model === "Tenant" && field === "parent") {
        // A root's parent is outside the reach; ancestorIds gives the path within it.
        throw new TenantScopeViolation("Tenant.parent is not readable through the tenant-scoped client");
      }
      const nested: Args = isRecord(value) ? { ...value } : {};
      if (relation.many) nested.where = withScope(nested.where, this.whereFor(relation.model));
      out[field] = { ...nested, ...this.rewriteSelection(relation.model, nested) };
    }
    return out;
  }

  private rewriteCount(model: ModelName, value: unknown): unknown {
    const lists = Object.entries(TENANT_RELATIONS[model]).filter(([, relation]) => relation.many);
    const requested = isRecord(value) && isRecord(value.select) ? value.select : null;
    const select: Args = {};
    for (const [field, relation] of lists) {
      const asked = requested ? requested[field] : true;
      if (!asked) continue;
      const where = isRecord(asked) ? asked.where : undefined;
      select[field] = { where: withScope(where, this.whereFor(relation.model)) };
    }
    return { select };
  }

  /** Writes may only point rows at reachable tenants and devices, and never nest writes into relations. */
  private async checkWrites(model: ModelName, data: unknown, creating: boolean): Promise<void> {
    const rows = Array.isArray(data) ? data : [data];
    const tenantIds: string[] = [];
    const deviceIds: string[] = [];
    for (const row of rows) {
      if (!isRecord(row)) continue;
      for (const field of Object.keys(row)) {
        if (TENANT_RELATIONS[model][field]) {
          throw new TenantScopeViolation(
            `nested write to ${model}.${field} is not supported through the tenant-scoped client; write it separately`,
          );
        }
      }
      const tenantId = scalarValue(row.tenantId);
      if (tenantId) tenantIds.push(tenantId);
      if ("device" in TENANT_RELATIONS[model]) {
        const deviceId = scalarValue(row.deviceId);
        if (deviceId) deviceIds.push(deviceId);
      }
      if (model === "Tenant") await this.checkTenantPlacement(row, creating);
      else if (creating && TENANT_OWNERSHIP[model] === "tenantId" && !tenantId) {
        throw new TenantScopeViolation(`a new ${model} needs a tenantId`);
      }
    }
    await this.assertTenantsReachable(tenantIds);
    await this.assertDevicesReachable(deviceIds);
  }

  /** A tenant created or moved through the scope stays below one of the user's roots. */
  private async checkTenantPlacement(row: Args, creating: boolean): Promise<void> {
    const parentId = scalarValue(row.parentId);
    const ancestorIds = arrayValue(row.ancestorIds);
    if (creating && !parentId) throw new TenantScopeViolation("a new tenant needs a parent within reach");
    if ("parentId" in row && !parentId) throw new TenantScopeViolation("a tenant cannot be made a root here");
    if (parentId) await this.assertTenantsReachable([parentId]);
    if (creating && !ancestorIds) throw new TenantScopeViolation("a new tenant needs its ancestorIds");
    if (ancestorIds && !ancestorIds.some((id) => this.roots.includes(id))) {
      throw new TenantScopeViolation("a tenant's ancestorIds must stay below a reachable tenant");
    }
  }

  private async assertTenantsReachable(ids: string[]): Promise<void> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return;
    const found = await this.db.tenant.count({ where: { id: { in: unique }, ...this.tenantFilter } });
    if (found !== unique.length) throw new NotFound("domain");
  }

  private async assertDevicesReachable(ids: string[]): Promise<void> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return;
    const found = await this.db.device.count({ where: { id: { in: unique }, tenant: this.tenantFilter } });
    if (found !== unique.length) throw new NotFound("device");
  }
}

function withScope(where: unknown, scope: Where): Where {
  if (!isRecord(where)) return { AND: [scope] };
  const existing = where.AND === undefined ? [] : Array.isArray(where.AND) ? where.AND : [where.AND];
  return { ...where, AND: [...existing, scope] };
}

function scalarValue(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (isRecord(value) && typeof value.set === "string") return value.set;
  return undefined;
}

function arrayValue(value: unknown): string[] | undefined {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string");
  if (isRecord(value) && Array.isArray(value.set)) return arrayValue(value.set);
  return undefined;
}

function extendWithBoundary(db: Db, boundary: TenantBoundary) {
  return db.$extends({
    name: "tenant-scope",
    query: {
      async $allOperations({ model, operation, args, query }) {
        if (!model) {
          throw new TenantScopeViolation(
            `${operation} cannot be limited to tenants and is refused by the scoped client`,
          );
        }
        return query(await boundary.rewrite(model as ModelName, operation, args));
      },
    },
  });
}

/** Client properties of every model a tenant can reach: all but those marked "unreachable". */
type ScopedModel = {
  [M in ModelName]: (typeof TENANT_OWNERSHIP)[M] extends "unreachable" ? never : Uncapitalize<M>;
}[ModelName];

/** What console code gets instead of the database: tenant-owned models and transactions, nothing raw. */
export type ScopedDb = Pick<ReturnType<typeof extendWithBoundary>, ScopedModel | "$transaction">;

/** Transaction client of a ScopedDb, for domain functions that take either. */
export type ScopedTx = Parameters<Extract<Parameters<ScopedDb["$transaction"]>[0], (...args: never[]) => unknown>>[0];

/** The database as `access` may see it. */
export function tenantScope(db: Db, access: TenantAccess): ScopedDb {
  return extendWithBoundary(db, new TenantBoundary(db, rootTenantIds(access)));
}
