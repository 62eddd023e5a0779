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
  /** The latest Informs, newest first: one entry per Inform, with all the event codes it carried. */
  recentContacts: DeviceContact[];
}

export interface DeviceContact {
  /** Unique in the list: the device and the time of the Inform. */
  key: string;
  at: Date;
  codes: string[];
  device: { id: string; serialNumber: string };
}

const RECENT_CONTACTS = 10;

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
      // An Inform carries several events (a new CPE sends "0 BOOTSTRAP" and "1 BOOT"), all stored with its time.
      take: RECENT_CONTACTS * 4,
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
    recentContacts: contactsOf(events).slice(0, RECENT_CONTACTS),
  };
}

/** Events (newest first) grouped into the Informs that carried them: same device, same time. */
function contactsOf(events: { code: string; at: Date; device: { id: string; serialNumber: string } }[]) {
  const contacts = new Map<string, DeviceContact>();
  for (const event of events) {
    const key = `${event.device.id}@${event.at.toISOString()}`;
    const contact = contacts.get(key);
    if (contact) contact.codes.push(event.code);
    else contacts.set(key, { key, at: event.at, codes: [event.code], device: event.device });
  }
  return [...contacts.values()];
}
