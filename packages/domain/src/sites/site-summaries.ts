import { statusWhere } from "../devices/device-status.ts";
import { checkDomain } from "../devices/find-devices.ts";
import { type DomainRef, withDomainPaths } from "../domains/domain-paths.ts";
import type { TenantAccess } from "../tenancy/tenant-access.ts";
import type { ScopedDb } from "../tenancy/tenant-scope.ts";

/** Domains that are a customer's place: a hotel, a site of a chain, a business's premises. */
export const SITE_KINDS = ["hotel", "site", "business"] as const;

export interface SiteSummary {
  site: DomainRef;
  /** Devices of the site and the domains below it, by state. */
  devices: { total: number; online: number; offline: number; never: number };
  /** Alarms raised and not cleared. */
  activeAlarms: number;
  /** Checkouts asked for and not yet finished on the device. */
  pendingCheckouts: number;
}

/**
 * Each site below a domain (the domain itself left out) with its own counts, for an integrator's dashboard and
 * sites page. Read through the tenant scope: a site out of the reader's reach is not listed, and a domain out of
 * reach is refused as not found.
 */
export async function siteSummaries(
  db: ScopedDb,
  access: TenantAccess,
  input: { tenantId: string },
  now = new Date(),
): Promise<SiteSummary[]> {
  await checkDomain(db, access, input.tenantId);
  const below = await db.tenant.findMany({
    where: { ancestorIds: { has: input.tenantId } },
    select: { id: true, name: true, kind: true, parentId: true, ancestorIds: true },
  });
  const sites = below.filter((t) => t.id !== input.tenantId && (SITE_KINDS as readonly string[]).includes(t.kind));
  if (sites.length === 0) return [];
  const siteIds = new Set(sites.map((s) => s.id));
  // Every domain counts towards each site above it (and the site itself).
  const sitesOf = new Map(below.map((t) => [t.id, t.ancestorIds.filter((id) => siteIds.has(id))]));
  const tenantIds = below.filter((t) => (sitesOf.get(t.id) ?? []).length > 0).map((t) => t.id);
  const within = { tenantId: { in: tenantIds } };
  const [total, never, online, alarms, checkouts, refs] = await Promise.all([
    db.device.groupBy({ by: ["tenantId"], where: within, _count: { _all: true } }),
    db.device.groupBy({ by: ["tenantId"], where: { ...within, lastInformAt: null }, _count: { _all: true } }),
    statusWhere(db, within, "online", now).then((onlineWhere) =>
      db.device.groupBy({ by: ["tenantId"], where: { AND: [within, onlineWhere] }, _count: { _all: true } }),
    ),
    db.alarm.groupBy({ by: ["tenantId"], where: { ...within, state: "active" }, _count: { _all: true } }),
    db.checkout.groupBy({ by: ["tenantId"], where: { ...within, state: "pending" }, _count: { _all: true } }),
    withDomainPaths(db, sites),
  ]);
  const summaries = new Map<string, SiteSummary>(
    refs.map((site) => [
      site.id,
      { site, devices: { total: 0, online: 0, offline: 0, never: 0 }, activeAlarms: 0, pendingCheckouts: 0 },
    ]),
  );
  const add = (rows: { tenantId: string; _count: { _all: number } }[], into: (s: SiteSummary, n: number) => void) => {
    for (const row of rows) {
      for (const siteId of sitesOf.get(row.tenantId) ?? []) into(summaries.get(siteId)!, row._count._all);
    }
  };
  add(total, (s, n) => {
    s.devices.total += n;
  });
  add(never, (s, n) => {
    s.devices.never += n;
  });
  add(online, (s, n) => {
    s.devices.online += n;
  });
  add(alarms, (s, n) => {
    s.activeAlarms += n;
  });
  add(checkouts, (s, n) => {
    s.pendingCheckouts += n;
  });
  for (const s of summaries.values()) s.devices.offline = s.devices.total - s.devices.online - s.devices.never;
  const collator = new Intl.Collator("en", { numeric: true, sensitivity: "base" });
  return [...summaries.values()].sort((a, b) => collator.compare(a.site.path.join("/"), b.site.path.join("/")));
}
