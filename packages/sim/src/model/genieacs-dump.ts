import { readFileSync } from "node:fs";
import { parseCsv } from "./csv.ts";
import { buildDeviceModel, type DeviceIdentity, type DeviceModel, type ParameterRow } from "./device-model.ts";

/**
 * Reads a device export from GenieACS (CSV). Two layouts exist: the current one
 * (Parameter,Object,Object timestamp,Writable,...,Value,Value type,...,Notification,...,Access list,...) and
 * the older five-column one (Parameter,Object,Writable,Value,Value type). Columns are found by header name.
 * GenieACS's virtual roots are not device parameters: DeviceID.* gives the identity, Events.* is dropped.
 */
export function readGenieacsDump(
  csv: string,
  options: { readonly name: string; readonly description?: string },
): DeviceModel {
  const [header, ...records] = parseCsv(csv);
  if (!header) throw new Error(`model ${options.name}: empty CSV`);
  const column = (title: string): number => header.findIndex((h) => h.trim().toLowerCase() === title.toLowerCase());
  const col = {
    name: column("Parameter"),
    object: column("Object"),
    writable: column("Writable"),
    value: column("Value"),
    type: column("Value type"),
    notification: column("Notification"),
    accessList: column("Access list"),
  };
  if (col.name === -1 || col.object === -1 || col.writable === -1) {
    throw new Error(`model ${options.name}: not a GenieACS export (no Parameter/Object/Writable columns)`);
  }
  const field = (record: readonly string[], index: number): string => (index === -1 ? "" : (record[index] ?? ""));

  const deviceId = new Map<string, string>();
  const rows: ParameterRow[] = [];
  for (const record of records) {
    const name = field(record, col.name).trim();
    if (name === "") continue;
    if (name.startsWith("DeviceID.")) {
      deviceId.set(name.slice("DeviceID.".length), field(record, col.value));
      continue;
    }
    if (name === "DeviceID" || name === "Events" || name.startsWith("Events.")) continue;
    const notification = Number.parseInt(field(record, col.notification), 10);
    const accessList = field(record, col.accessList).trim();
    rows.push({
      name,
      object: field(record, col.object) === "true",
      writable: field(record, col.writable) === "true",
      value: field(record, col.value),
      type: field(record, col.type),
      ...(Number.isNaN(notification) ? {} : { notification }),
      ...(accessList === "" ? {} : { accessList: accessList.split(",").map((a) => a.trim()) }),
    });
  }
  const identity: DeviceIdentity = {
    manufacturer: deviceId.get("Manufacturer") ?? "",
    oui: (deviceId.get("OUI") ?? "000000").toUpperCase(),
    productClass: deviceId.get("ProductClass") ?? "",
    serialNumber: deviceId.get("SerialNumber") ?? "",
  };
  return buildDeviceModel({
    name: options.name,
    description: options.description ?? `${identity.manufacturer} ${identity.productClass}`.trim(),
    identity,
    rows,
  });
}

export function loadGenieacsDump(
  file: string,
  options: { readonly name: string; readonly description?: string },
): DeviceModel {
  return readGenieacsDump(readFileSync(file, "utf8"), options);
}
