import { type Db, Prisma } from "@beacon/db";
import { NotFound } from "../errors.ts";
import { rootTenantIds, type TenantAccess } from "./tenant-access.ts";

/**
 * The tenant boundary of the console, enforced in one place: a Prisma client whose every query is limited to
 * the tenants a user may reach (their memberships' tenants and everything below). Rows out of reach behave as if
 * they did not exist, so callers answer NotFound and never reveal them.
 */

type ModelName = Prisma.ModelName;
type Ownership = "self" | "tenantId" | "device" | "membership" | "unreachable";

/**
 * How a row of each model belongs to a tenant. A model missing here is unreachable through the scope (fail closed);
 * tenant-scope.test.ts checks that every model of schema.prisma is listed, so a new model gets a deliberate answer.
 */
export const TENANT_OWNERSHIP = {
  Tenant: "self",
  Membership: "tenantId",
  Device: "tenantId",
  Task: "tenantId",
  File: "tenantId",
  AuditEvent: "tenantId",
  DeviceParameter: "device",
  DeviceNetworkMap: "device",
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
  FirmwareCampaign: "tenantId",
  FirmwareCampaignDevice: "device",
  MonitoringProfile: "tenantId",
  DeviceMetric: "device",
  AlarmRule: "tenantId",
  Alarm: "tenantId",
  DomainEvent: "tenantId",
  Diagnostic: "tenantId",
  ApiToken: "tenantId",
  Webhook: "tenantId",
  WebhookSecret: "tenantId",
  WebhookDelivery: "tenantId",
  PmsConnector: "tenantId",
  // Protocol state of the CWMP ingress, never read or written by the console.
  DigestNonce: "unreachable",
  // Keyed by a bare deviceId without a relation, so no filter can follow it to a tenant.
  MetricSample: "unreachable",
  // The webhook dispatcher's reading positions, shared by every tenant.
  WebhookCursor: "unreachable",
  // Failed sign-ins, counted before anyone is signed in.
  SignInLimit: "unreachable",
} as const satisfies Partial<Record<ModelName, Ownership>>;

const OWNERSHIP: Partial<Record<ModelName, Ownership>> = TENANT_OWNERSHIP;

export function ownershipOf(model: ModelName): Ownership {
  return OWNERSHIP[model] ?? "unreachable";
}

interface Relation {
  model: ModelName;
  many: boolean;
}

const one = (model: ModelName): Relation => ({ model, many: false });
const many = (model: ModelName): Relation => ({ model, many: true });

/**
 * Relation fields per model, so nested reads get the same limits and nested writes are refused. A relation missing
 * here is refused in nested reads (fail closed); tenant-scope.test.ts compares this table with schema.prisma.
 */
export const TENANT_RELATIONS: Partial<Record<ModelName, Record<string, Relation>>> = {
  Tenant: {
    parent: one("Tenant"),
    children: many("Tenant"),
    memberships: many("Membership"),
    devices: many("Device"),
    auditEvents: many("AuditEvent"),
    tasks: many("Task"),
    files: many("File"),
    templates: many("Template"),
    templateVersions: many("TemplateVersion"),
    deviceTemplates: many("DeviceTemplate"),
    buildings: many("Building"),
    floors: many("Floor"),
    rooms: many("Room"),
    subscribers: many("Subscriber"),
    lines: many("Line"),
    deviceAssignments: many("DeviceAssignment"),
    checkouts: many("Checkout"),
    firmwareCampaigns: many("FirmwareCampaign"),
    monitoringProfiles: many("MonitoringProfile"),
    alarmRules: many("AlarmRule"),
    alarms: many("Alarm"),
    domainEvents: many("DomainEvent"),
    diagnostics: many("Diagnostic"),
    apiTokens: many("ApiToken"),
    webhooks: many("Webhook"),
    webhookSecrets: many("WebhookSecret"),
    webhookDeliveries: many("WebhookDelivery"),
    pmsConnector: one("PmsConnector"),
  },
  User: { memberships: many("Membership") },
  Membership: { user: one("User"), tenant: one("Tenant") },
  Device: {
    tenant: one("Tenant"),
    parameters: many("DeviceParameter"),
    networkMap: one("DeviceNetworkMap"),
    events: many("DeviceEvent"),
    tasks: many("Task"),
    sessions: many("CwmpSession"),
    templates: many("DeviceTemplate"),
    assignments: many("DeviceAssignment"),
    checkouts: many("Checkout"),
    campaignDevices: many("FirmwareCampaignDevice"),
    metrics: many("DeviceMetric"),
    alarms: many("Alarm"),
    diagnostics: many("Diagnostic"),
  },
  DeviceParameter: { device: one("Device") },
  DeviceNetworkMap: { device: one("Device") },
  DeviceEvent: { device: one("Device") },
  Task: { tenant: one("Tenant"), device: one("Device") },
  CwmpSession: { device: one("Device") },
  DigestNonce: {},
  File: { tenant: one("Tenant"), campaigns: many("FirmwareCampaign") },
  AuditEvent: { tenant: one("Tenant") },
  Template: { tenant: one("Tenant"), versions: many("TemplateVersion"), devices: many("DeviceTemplate") },
  TemplateVersion: { tenant: one("Tenant"), template: one("Template"), devices: many("DeviceTemplate") },
  DeviceTemplate: {
    tenant: one("Tenant"),
    device: one("Device"),
    template: one("Template"),
    templateVersion: one("TemplateVersion"),
  },
  Building: { tenant: one("Tenant"), floors: many("Floor") },
  Floor: { tenant: one("Tenant"), building: one("Building"), rooms: many("Room") },
  Room: {
    tenant: one("Tenant"),
    floor: one("Floor"),
    assignments: many("DeviceAssignment"),
    checkouts: many("Checkout"),
  },
  Subscriber: { tenant: one("Tenant"), lines: many("Line") },
  Line: { tenant: one("Tenant"), subscriber: one("Subscriber"), assignments: many("DeviceAssignment") },
  DeviceAssignment: { tenant: one("Tenant"), room: one("Room"), line: one("Line"), device: one("Device") },
  Checkout: { tenant: one("Tenant"), room: one("Room"), device: one("Device") },
  FirmwareCampaign: { tenant: one("Tenant"), file: one("File"), devices: many("FirmwareCampaignDevice") },
  FirmwareCampaignDevice: { campaign: one("FirmwareCampaign"), device: one("Device") },
  MonitoringProfile: { tenant: one("Tenant") },
  DeviceMetric: { device: one("Device") },
  MetricSample: {},
  AlarmRule: { tenant: one("Tenant") },
  Alarm: { tenant: one("Tenant"), device: one("Device") },
  DomainEvent: { tenant: one("Tenant") },
  Diagnostic: { tenant: one("Tenant"), device: one("Device") },
  ApiToken: { tenant: one("Tenant") },
  Webhook: { tenant: one("Tenant"), secrets: many("WebhookSecret"), deliveries: many("WebhookDelivery") },
  WebhookSecret: { tenant: one("Tenant"), webhook: one("Webhook") },
  WebhookDelivery: { tenant: one("Tenant"), webhook: one("Webhook") },
  PmsConnector: { tenant: one("Tenant") },
  WebhookCursor: {},
  SignInLimit: {},
};

/**
 * The single-row relations a nested read may follow: the link through which the row itself is scoped (so the
 * target is within reach whenever the row is), and a membership's user. Any other single-row relation (a task's
 * device, a campaign's file...) may point outside the reach, so it is read through the scope separately.
 */
function followable(model: ModelName, field: string): boolean {
  const ownership = ownershipOf(model);
  if (ownership === "tenantId") return field === "tenant" || (model === "Membership" && field === "user");
  if (ownership === "device") return field === "device";
  return false;
}

// Prisma's generated <Model>ScalarFieldEnum objects tell a column from a relation for models this file predates.
const generatedEnums: Readonly<Record<string, unknown>> = Prisma;

function isColumn(model: ModelName, field: string): boolean {
  const columns = generatedEnums[`${model}ScalarFieldEnum`];
  return typeof columns === "object" && columns !== null && Object.hasOwn(columns, field);
}

function relationOf(model: ModelName, field: string): Relation | undefined {
  return TENANT_RELATIONS[model]?.[field];
}

/** Columns the console never returns, whatever a query asks for. */
export const SECRET_FIELDS: Partial<Record<ModelName, readonly string[]>> = {
  User: ["passwordHash"],
  Device: ["cwmpHa1Md5", "cwmpHa1Sha256", "connReqPassword"],
  ApiToken: ["tokenHash"],
  WebhookSecret: ["secret"],
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
    switch (ownershipOf(model)) {
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

  /**
   * The top-level filter of a query: for rows owned through a tenant, `tenantId IN (the reachable ids)`, read
   * for each query. A join on Tenant.ancestorIds hides from PostgreSQL's planner how many rows match (it guesses
   * a few), so a million-device list was joined and sorted whole instead of read in index order up to its page.
   */
  private async topLevelWhere(model: ModelName): Promise<Where> {
    const ownership = ownershipOf(model);
    if (ownership !== "tenantId" && ownership !== "device") return this.whereFor(model);
    const tenants = await this.db.tenant.findMany({ where: this.tenantFilter, select: { id: true } });
    const byId = { tenantId: { in: tenants.map((t) => t.id) } };
    return ownership === "tenantId" ? byId : { device: byId };
  }

  async rewrite(model: ModelName, operation: string, input: unknown): Promise<Args> {
    const args: Args = isRecord(input) ? { ...input } : {};
    const scope = FILTERED.has(operation) ? await this.topLevelWhere(model) : {};
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
      const relation = relationOf(model, field);
      if (!relation) {
        if (!isColumn(model, field)) {
          throw new TenantScopeViolation(
            `${model}.${field} is not known to the tenant scope and is not read through it`,
          );
        }
        out[field] = value;
        continue;
      }
      if (!relation.many && !followable(model, field)) {
        throw new TenantScopeViolation(
          `${model}.${field} may lead outside the reach; read the ${relation.model} through the scope separately`,
        );
      }
      const nested: Args = isRecord(value) ? { ...value } : {};
      if (relation.many) nested.where = withScope(nested.where, this.whereFor(relation.model));
      const rewritten = { ...nested, ...this.rewriteSelection(relation.model, nested) };
      out[field] = value === true && Object.keys(rewritten).length === 0 ? true : rewritten;
    }
    return out;
  }

  private rewriteCount(model: ModelName, value: unknown): unknown {
    const lists = Object.entries(TENANT_RELATIONS[model] ?? {}).filter(([, relation]) => relation.many);
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
        if (relationOf(model, field) || !isColumn(model, field)) {
          throw new TenantScopeViolation(
            `nested write to ${model}.${field} is not supported through the tenant-scoped client; write it separately`,
          );
        }
      }
      const tenantId = scalarValue(row.tenantId);
      if (tenantId) tenantIds.push(tenantId);
      if (relationOf(model, "device")) {
        const deviceId = scalarValue(row.deviceId);
        if (deviceId) deviceIds.push(deviceId);
      }
      if (model === "Tenant") await this.checkTenantPlacement(row, creating);
      else if (creating && ownershipOf(model) === "tenantId" && !tenantId) {
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
  [M in ModelName]: M extends keyof typeof TENANT_OWNERSHIP
    ? (typeof TENANT_OWNERSHIP)[M] extends "unreachable"
      ? never
      : Uncapitalize<M>
    : never;
}[ModelName];

/** What console code gets instead of the database: tenant-owned models and transactions, nothing raw. */
export type ScopedDb = Pick<ReturnType<typeof extendWithBoundary>, ScopedModel | "$transaction">;

/** Transaction client of a ScopedDb, for domain functions that take either. */
export type ScopedTx = Parameters<Extract<Parameters<ScopedDb["$transaction"]>[0], (...args: never[]) => unknown>>[0];

/** The database as `access` may see it. */
export function tenantScope(db: Db, access: TenantAccess): ScopedDb {
  return extendWithBoundary(db, new TenantBoundary(db, rootTenantIds(access)));
}
