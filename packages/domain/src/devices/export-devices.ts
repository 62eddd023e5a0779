import { toCsv } from "../exports/csv.ts";
import type { TenantAccess } from "../tenancy/tenant-access.ts";
import type { ScopedDb } from "../tenancy/tenant-scope.ts";
import { type DeviceQuery, deviceOrder, deviceWhere } from "./device-query.ts";
import { checkDomain, DEVICE_ROW_SELECT, toDeviceRows } from "./find-devices.ts";

export const MAX_EXPORT_ROWS = 50_000;

/** The devices a query selects (all pages), as CSV. */
export async function exportDevicesCsv(
  db: ScopedDb,
  access: TenantAccess,
  query: DeviceQuery,
  now = new Date(),
): Promise<{ filename: string; csv: string; rows: number }> {
  await checkDomain(db, access, query.tenantId);
  const where = await deviceWhere(db, query, now);
  const devices = await db.device.findMany({
    where,
    orderBy: deviceOrder(query),
    take: MAX_EXPORT_ROWS,
    select: DEVICE_ROW_SELECT,
  });
  const rows = await toDeviceRows(db, devices, now);
  const csv = toCsv(
    [
      "serial_number",
      "oui",
      "product_class",
      "manufacturer",
      "model",
      "firmware",
      "hardware",
      "status",
      "last_inform",
      "ip",
      "mac",
      "domain",
    ],
    rows.map((d) => [
      d.serialNumber,
      d.oui,
      d.productClass,
      d.manufacturer,
      d.modelName,
      d.softwareVersion,
      d.hardwareVersion,
      d.status,
      d.lastInformAt,
      d.externalIp,
      d.macAddress,
      d.domain.path.join(" / "),
    ]),
  );
  return { filename: `devices-${now.toISOString().slice(0, 10)}.csv`, csv, rows: rows.length };
}
