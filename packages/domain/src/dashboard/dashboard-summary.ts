import type { Prisma } from "@beacon/db";
import { type AuditRow, listAuditEvents } from "../audit/list-audit-events.ts";
import { statusWhere } from "../devices/device-status.ts";
import { checkDomain } from "../devices/find-devices.ts";
import { permissionsAt, type TenantAccess } from "../tenancy/tenant-access.ts";
import type { ScopedDb } from "../tenancy/tenant-scope.ts";

export interface DashboardSummary {
  devices: { total: number; online: number; offline: number; never: number };
  /** Firmware versions in use per model, most common first. */
  firmwareByModel: { model: string; total: number; versions: { version: string; count: number }[] }[];
  /** The latest audit records, when the viewer may read the audit log. */
  recentActivity: AuditRow[] | null;
  /** The latest device check-ins and other Inform events. */
  recentEvents: { id: string; code: string; at: Date; device: { id: string; serialNumber: string } }[];
}

export async function dashboardSummary(
  db: ScopedDb,
  access: TenantAccess,
  input: { tenantId: string },
  now = new Date(),
): Promise<DashboardSummary> {
  await checkDomain(db, access, input.tenantId);
  const within: Prisma.DeviceWhereInput = { tenant: { ancestorIds: { has: input.tenantId } } };
  const [total, never, online, firmware, events, domain] = await Promise.all([
    db.device.count({ where: within }),
    db.device.count({ where: { AND: [within, await statusWhere(db, within, "never", now)] } }),
    db.device.count({ where: { AND: [within, await statusWhere(db, within, "online", now)] } }),
    db.device.groupBy({
      by: ["modelName", "productClass", "softwareVersion"],
      where: within,
      _count: { _all: true },
    }),
    db.deviceEvent.findMany({
      where: { device: within },
      orderBy: [{ at: "desc" }, { id: "desc" }],
      take: 10,
      select: { id: true, code: true, at: true, device: { select: { id: true, serialNumber: true } } },
    }),
    db.tenant.findUniqueOrThrow({ where: { id: input.tenantId }, select: { ancestorIds: true } }),
  ]);
  const models = new Map<string, Map<string, number>>();
  for (const group of firmware) {
    const model = group.modelName ?? (group.productClass || "Unknown model");
    const versions = models.get(model) ?? new Map<string, number>();
    const version = group.softwareVersion ?? "unknown";
    versions.set(version, (versions.get(version) ?? 0) + group._count._all);
    models.set(model, versions);
  }
  const firmwareByModel = [...models]
    .map(([model, versions]) => ({
      model,
      total: [...versions.values()].reduce((a, b) => a + b, 0),
      versions: [...versions].map(([version, count]) => ({ version, count })).sort((a, b) => b.count - a.count),
    }))
    .sort((a, b) => b.total - a.total || a.model.localeCompare(b.model));
  const recentActivity = permissionsAt(access, domain).includes("audit.read")
    ? (await listAuditEvents(db, access, { tenantId: input.tenantId, page: 1, pageSize: 10 })).rows
    : null;
  return {
    devices: { total, online, never, offline: total - online - never },
    firmwareByModel,
    recentActivity,
    recentEvents: events.map((e) => ({ ...e, id: e.id.toString() })),
  };
}
