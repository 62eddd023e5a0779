import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Db } from "@beacon/db";
import { storeNetworkMap } from "../../src/networks/read-network-map.ts";
import { parseCsv } from "../../src/provisioning/csv.ts";
import { type CpeModelFixture, cpeModel, type FixtureParameter } from "../fixtures/cpe-models.ts";

/**
 * Device models for the template and provisioning tests: the real GenieACS exports of ../shared (read at run
 * time, never copied; BEACON_SHARED_DIR overrides the folder) or, always, our own fixtures.
 */

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");
export const DUMPS_DIR = join(
  process.env.BEACON_SHARED_DIR ?? join(repoRoot, "../shared"),
  "datamodels",
  "device-dumps",
);
export const dumpsAvailable = existsSync(DUMPS_DIR);

/** Our fixture id -> the real export of the same model. */
export const DUMP_FILES: Record<string, string> = {
  "huawei-eg8145v5": "anlix-genieacs-sim__huawei-EG8145V5__IGD.csv",
  "huawei-bm632w": "genieacs-sim__huawei-BM632w__IGD.csv",
  "nokia-g-1425g-a": "anlix-genieacs-sim__nokia-ALCL-G-1425G-A__IGD.csv",
  "tplink-ec220-g5": "anlix-genieacs-sim__tplink-EC220-G5-v2__IGD.csv",
  "tplink-ex220": "anlix-genieacs-sim__tplink-EX220__Device2.csv",
};

export function skipNotice(what: string): string {
  return `[domain] ${what} SKIPPED: ${DUMPS_DIR} does not exist. Point BEACON_SHARED_DIR at the shared folder to run them; our own fixtures (test/fixtures/cpe-models.ts) cover the same models.`;
}

/**
 * A GenieACS export (both its 12-column and its older 5-column form) as a model: identity from the DeviceID.*
 * rows, the device's own tree without GenieACS's virtual roots, object names ending in ".".
 */
export function readDump(file: string): CpeModelFixture {
  const [header, ...rows] = parseCsv(readFileSync(join(DUMPS_DIR, file), "utf8"), ",");
  const col = (name: string) => header!.cells.indexOf(name);
  const [nameAt, objectAt, writableAt, valueAt, typeAt] = [
    "Parameter",
    "Object",
    "Writable",
    "Value",
    "Value type",
  ].map(col);
  const parameters: FixtureParameter[] = [];
  const virtual = new Map<string, string>();
  for (const row of rows) {
    const name = row.cells[nameAt!]!;
    const value = row.cells[valueAt!] ?? "";
    if (name.startsWith("DeviceID.")) virtual.set(name.slice("DeviceID.".length), value);
    if (!name.startsWith("InternetGatewayDevice") && !name.startsWith("Device")) continue;
    if (name.startsWith("DeviceID")) continue;
    const isObject = row.cells[objectAt!] === "true";
    parameters.push({
      name: isObject ? `${name}.` : name,
      type: isObject ? null : row.cells[typeAt!] || null,
      writable: row.cells[writableAt!] === "true",
      value,
    });
  }
  const root = parameters.some((p) => p.name.startsWith("InternetGatewayDevice.")) ? "InternetGatewayDevice" : "Device";
  const modelName = parameters.find((p) => p.name === `${root}.DeviceInfo.ModelName`)?.value ?? "";
  return {
    id: file,
    identity: {
      manufacturer: virtual.get("Manufacturer") ?? "",
      oui: virtual.get("OUI") ?? "",
      productClass: virtual.get("ProductClass") ?? "",
      serialNumber: virtual.get("SerialNumber") ?? "",
      modelName,
      root,
    },
    mappingFiles: [],
    parameters,
  };
}

/** The real model when ../shared has it, else our fixture; `source` says which, for test names. */
export function modelFor(id: string): { model: CpeModelFixture; source: "dump" | "fixture" } {
  const file = DUMP_FILES[id];
  if (dumpsAvailable && file && existsSync(join(DUMPS_DIR, file))) return { model: readDump(file), source: "dump" };
  return { model: cpeModel(id), source: "fixture" };
}

/** A Device row for the model (in `tenantId`) with every parameter of the model stored, as after a full refresh. */
export async function createModelDevice(
  db: Db,
  tenantId: string,
  model: CpeModelFixture,
  overrides: { serialNumber?: string; macAddress?: string; withParameters?: boolean; lastInformAt?: Date | null } = {},
): Promise<string> {
  const device = await db.device.create({
    data: {
      tenantId,
      oui: model.identity.oui,
      productClass: model.identity.productClass,
      serialNumber: overrides.serialNumber ?? model.identity.serialNumber,
      manufacturer: model.identity.manufacturer,
      modelName: model.identity.modelName,
      dataModelRoot: model.identity.root,
      macAddress: overrides.macAddress,
      periodicInformInterval: 300,
      firstInformAt: new Date(),
      lastInformAt: overrides.lastInformAt === undefined ? new Date() : overrides.lastInformAt,
    },
  });
  if (overrides.withParameters !== false) {
    // One statement for thousands of rows, as the session layer writes them.
    const ps = model.parameters;
    await db.$executeRaw`
      INSERT INTO "DeviceParameter" ("deviceId", "name", "value", "type", "writable", "isObject")
      SELECT ${device.id}::uuid, p.name, p.value, p.type, p.writable, p.type IS NULL
      FROM unnest(${ps.map((p) => p.name)}::text[], ${ps.map((p) => (p.type === null ? null : p.value))}::text[],
        ${ps.map((p) => p.type)}::text[], ${ps.map((p) => p.writable)}::boolean[]) AS p(name, value, type, writable)`;
    // As a session does once it has read the device's WiFi and WAN subtrees.
    await storeNetworkMap(db, device.id, model.identity.root, new Date());
  }
  return device.id;
}
