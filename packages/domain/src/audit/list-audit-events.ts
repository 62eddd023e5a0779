import type { Prisma } from "@beacon/db";
import { type DomainRef, withDomainPaths } from "../domains/domain-paths.ts";
import { NotFound } from "../errors.ts";
import { toCsv } from "../exports/csv.ts";
import { maskSecrets } from "../secrets/secret-parameters.ts";
import { authorize, type TenantAccess } from "../tenancy/tenant-access.ts";
import type { ScopedDb } from "../tenancy/tenant-scope.ts";
import { type AuditQuery, auditWhere } from "./audit-query.ts";

export interface AuditRow {
  id: string;
  createdAt: Date;
  actorLabel: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  domain: DomainRef;
  /** The device concerned, when it is still within the viewer's reach. */
  device: { id: string; serialNumber: string } | null;
  before: Prisma.JsonValue;
  after: Prisma.JsonValue;
}

const AUDIT_SELECT = {
  id: true,
  createdAt: true,
  actorLabel: true,
  action: true,
  targetType: true,
  targetId: true,
  deviceId: true,
  before: true,
  after: true,
  tenant: { select: { id: true, name: true, kind: true, parentId: true, ancestorIds: true } },
} as const;

async function checkAuditDomain(db: ScopedDb, access: TenantAccess, tenantId: string) {
  const domain = await db.tenant.findUnique({ where: { id: tenantId }, select: { ancestorIds: true } });
  if (!domain) throw new NotFound("domain");
  authorize(access, "audit.read", domain);
}

type AuditRecord = Omit<AuditRow, "domain" | "device"> & {
  deviceId: string | null;
  tenant: { id: string; name: string; kind: DomainRef["kind"]; parentId: string | null; ancestorIds: string[] };
};

async function toAuditRows(db: ScopedDb, events: AuditRecord[]): Promise<AuditRow[]> {
  const deviceIds = [...new Set(events.flatMap((e) => (e.deviceId ? [e.deviceId] : [])))];
  const [domains, devices] = await Promise.all([
    withDomainPaths(
      db,
      events.map((e) => e.tenant),
    ),
    db.device.findMany({ where: { id: { in: deviceIds } }, select: { id: true, serialNumber: true } }),
  ]);
  const domainById = new Map(domains.map((d) => [d.id, d]));
  const deviceById = new Map(devices.map((d) => [d.id, d]));
  // Rows are masked when written; masking again on the way out covers rows older than that rule.
  return events.map(({ tenant, deviceId, before, after, ...event }) => ({
    ...event,
    before: maskSecrets(before),
    after: maskSecrets(after),
    domain: domainById.get(tenant.id)!,
    device: deviceId ? (deviceById.get(deviceId) ?? null) : null,
  }));
}

/** One page of the audit log of a domain and everything below it, newest first. */
export async function listAuditEvents(
  db: ScopedDb,
  access: TenantAccess,
  query: AuditQuery,
): Promise<{ rows: AuditRow[]; total: number; page: number; pageSize: number }> {
  await checkAuditDomain(db, access, query.tenantId);
  const where = auditWhere(query);
  const [total, events] = await Promise.all([
    db.auditEvent.count({ where }),
    db.auditEvent.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize,
      select: AUDIT_SELECT,
    }),
  ]);
  return { rows: await toAuditRows(db, events), total, page: query.page, pageSize: query.pageSize };
}

/** Actions recorded in a domain, for the action filter. */
export async function listAuditActions(
  db: ScopedDb,
  access: TenantAccess,
  input: { tenantId: string },
): Promise<string[]> {
  await checkAuditDomain(db, access, input.tenantId);
  const actions = await db.auditEvent.findMany({
    where: { tenant: { ancestorIds: { has: input.tenantId } } },
    distinct: ["action"],
    select: { action: true },
    orderBy: { action: "asc" },
  });
  return actions.map((a) => a.action);
}

export const MAX_AUDIT_EXPORT_ROWS = 50_000;

export async function exportAuditCsv(
  db: ScopedDb,
  access: TenantAccess,
  query: AuditQuery,
  now = new Date(),
): Promise<{ filename: string; csv: string; rows: number }> {
  await checkAuditDomain(db, access, query.tenantId);
  const events = await db.auditEvent.findMany({
    where: auditWhere(query),
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: MAX_AUDIT_EXPORT_ROWS,
    select: AUDIT_SELECT,
  });
  const rows = await toAuditRows(db, events);
  const csv = toCsv(
    ["time_utc", "actor", "action", "domain", "device", "target_type", "target_id", "before", "after"],
    rows.map((r) => [
      r.createdAt,
      r.actorLabel,
      r.action,
      r.domain.path.join(" / "),
      r.device?.serialNumber ?? null,
      r.targetType,
      r.targetId,
      r.before === null ? null : JSON.stringify(r.before),
      r.after === null ? null : JSON.stringify(r.after),
    ]),
  );
  return { filename: `audit-${now.toISOString().slice(0, 10)}.csv`, csv, rows: rows.length };
}
