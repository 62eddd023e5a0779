import type { Db, Prisma } from "@beacon/db";
import { Invalid, NotFound } from "../errors.ts";
import { detectDelimiter, parseCsv } from "../provisioning/csv.ts";
import { normalizeLoid, normalizeMac, normalizeSerial } from "../provisioning/identifiers.ts";
import { importAssignmentsCsv } from "../provisioning/import-csv.ts";
import type { Actor } from "../users/users.ts";
import { createBuilding, createFloor, createRoom } from "./rooms.ts";

/**
 * A hotel site's rooms by spreadsheet, each with the device it gets. A header row names the columns, in any order
 * and case:
 *
 *   room        the room number (required)
 *   floor       optional: the floor's name, e.g. 1 or Ground; a number also finds a floor at that level
 *   building    optional: the building's name (default: the site's only building, else "Main building")
 *   name        optional: the room's name, e.g. Sea view suite
 *   serial, mac, loid, templates, replace   optional: pre-register the room's device (see importAssignmentsCsv)
 *
 * Rooms that exist are left where they are. Devices of existing rooms go through importAssignmentsCsv's own
 * checks; a new room's device is checked for what can be known before the room exists (identifiers taken
 * elsewhere or twice in the file, unknown templates), and fully when the import makes the room.
 */

export interface ImportRoomsInput {
  siteId: string;
  csv: string;
  dryRun: boolean;
  /** Who imports; needed unless dryRun. */
  actor?: Actor;
}

export interface RoomImportRow {
  /** The row's line in the file (the header is line 1). */
  line: number;
  room: string;
  /** "Main building / 1", or null for a room on no floor. */
  floor: string | null;
  /** Whether the import makes the room or finds it there already. */
  roomIsNew: boolean;
  device: { serialNumber: string | null; macAddress: string | null; loid: string | null } | null;
  ok: boolean;
  reasons: string[];
  /** What the row does that may surprise, without stopping it. */
  notes: string[];
  /** Set for imported rows whose device had informed already and was provisioned at once. */
  provisioned?: boolean;
}

export interface RoomImportReport {
  dryRun: boolean;
  rows: RoomImportRow[];
  accepted: number;
  rejected: number;
  /** Rooms made (or, in a dry run, that would be). */
  newRooms: number;
  newFloors: number;
  /** Pre-registrations made; 0 in a dry run. */
  devicesRegistered: number;
  warnings: string[];
}

type Column = "room" | "floor" | "building" | "name" | "serial" | "mac" | "loid" | "templates" | "replace";

const COLUMN_NAMES: Record<string, Column> = {
  room: "room",
  roomnumber: "room",
  floor: "floor",
  level: "floor",
  building: "building",
  name: "name",
  roomname: "name",
  serial: "serial",
  serialnumber: "serial",
  sn: "serial",
  mac: "mac",
  macaddress: "mac",
  loid: "loid",
  templates: "templates",
  template: "templates",
  replace: "replace",
};

const COLUMNS = [...new Set(Object.values(COLUMN_NAMES))];

/** Columns handed on to importAssignmentsCsv, under the names it reads. */
const DEVICE_COLUMNS = ["serial", "mac", "loid", "templates", "replace"] as const satisfies readonly Column[];

const DEFAULT_BUILDING = "Main building";
const ACTIVE = { in: ["waiting", "provisioned"] as ("waiting" | "provisioned")[] };

interface PlannedRow {
  report: RoomImportRow;
  cells: Record<Column, string>;
  buildingName: string | null;
  floorName: string | null;
  existingRoomId: string | null;
}

export async function importRoomsCsv(db: Db, input: ImportRoomsInput): Promise<RoomImportReport> {
  if (!input.dryRun && !input.actor) throw new Invalid("an import needs to say who makes it");
  const site = await db.tenant.findUnique({ where: { id: input.siteId }, select: { id: true, ancestorIds: true } });
  if (!site) throw new NotFound("site");
  const delimiter = detectDelimiter(input.csv);
  const [header, ...rows] = parseCsv(input.csv, delimiter);
  if (!header) throw new Invalid("the file is empty");
  const warnings: string[] = [];
  const columns = new Map<Column, number>();
  header.cells.forEach((raw, i) => {
    const name = raw.trim();
    const key = name.toLowerCase().replace(/[\s_-]/g, "");
    if (key === "site" || key === "domain" || key.startsWith("subscriber")) {
      throw new Invalid(
        `the ${name} column belongs in the provisioning import; this one fills one site's rooms, so leave it out`,
      );
    }
    const column = COLUMN_NAMES[key];
    if (!column) warnings.push(`column "${name}" is not used`);
    else if (columns.has(column)) warnings.push(`column "${name}" repeats ${column}; the first one is used`);
    else columns.set(column, i);
  });
  if (!columns.has("room")) throw new Invalid("the file needs a room column (the first line names the columns)");

  const buildings = await db.building.findMany({ where: { tenantId: site.id }, select: { id: true, name: true } });
  const floors = await db.floor.findMany({
    where: { tenantId: site.id },
    select: { id: true, name: true, level: true, buildingId: true },
  });
  const rooms = await db.room.findMany({
    where: { tenantId: site.id },
    select: { id: true, number: true, floorId: true },
  });
  const roomByNumber = new Map(rooms.map((r) => [r.number.toLowerCase(), r]));
  const defaultBuilding = buildings.length === 1 ? buildings[0]!.name : DEFAULT_BUILDING;
  const buildingNamed = (name: string) => buildings.find((b) => b.name.toLowerCase() === name.toLowerCase());
  const floorOf = (buildingName: string, floorName: string) => {
    const building = buildingNamed(buildingName);
    if (!building) return undefined;
    const inBuilding = floors.filter((f) => f.buildingId === building.id);
    const named = inBuilding.find((f) => f.name.toLowerCase() === floorName.toLowerCase());
    if (named || !/^-?\d+$/.test(floorName)) return named;
    const atLevel = inBuilding.filter((f) => f.level === Number(floorName));
    return atLevel.length === 1 ? atLevel[0] : undefined;
  };

  const planned: PlannedRow[] = [];
  const roomLines = new Map<string, number>();
  for (const row of rows) {
    const cells = {} as Record<Column, string>;
    for (const column of COLUMNS) {
      const i = columns.get(column);
      cells[column] = i === undefined ? "" : (row.cells[i] ?? "").trim();
    }
    const number = cells.room;
    const floorName = cells.floor || null;
    const buildingName = cells.building || (floorName ? defaultBuilding : null);
    const hasDevice = Boolean(cells.serial || cells.mac || cells.loid);
    const existing = number ? roomByNumber.get(number.toLowerCase()) : undefined;
    const report: RoomImportRow = {
      line: row.line,
      room: number,
      floor: floorName ? `${buildingName} / ${floorName}` : null,
      roomIsNew: !existing,
      device: hasDevice
        ? {
            serialNumber: cells.serial ? normalizeSerial(cells.serial) : null,
            macAddress: cells.mac ? (normalizeMac(cells.mac) ?? cells.mac) : null,
            loid: cells.loid ? normalizeLoid(cells.loid) : null,
          }
        : null,
      ok: false,
      reasons: [],
      notes: [],
    };
    planned.push({ report, cells, buildingName, floorName, existingRoomId: existing?.id ?? null });
    if (!number) {
      report.reasons.push("give the room's number");
      continue;
    }
    const earlier = roomLines.get(number.toLowerCase());
    if (earlier !== undefined) {
      report.reasons.push(`room ${number} is on line ${earlier} too`);
      continue;
    }
    roomLines.set(number.toLowerCase(), row.line);
    if (!hasDevice && (cells.templates || cells.replace)) {
      report.reasons.push("templates and replace need the device's serial, MAC or LOID");
    }
    if (existing && !hasDevice) report.notes.push(`room ${number} exists already`);
    if (existing && buildingName && floorName) {
      const floor = floorOf(buildingName, floorName);
      if (floor?.id !== existing.floorId) report.notes.push(`room ${number} exists on another floor and stays there`);
    }
  }

  await checkNewRoomDevices(db, site, planned, delimiter);

  const good = planned.filter((p) => p.report.reasons.length === 0);
  const newRooms = good.filter((p) => p.report.roomIsNew);
  const floorKeys = new Set(
    newRooms
      .filter((p) => p.buildingName && p.floorName && !floorOf(p.buildingName, p.floorName))
      .map((p) => `${p.buildingName!.toLowerCase()}\n${p.floorName!.toLowerCase()}`),
  );
  let devicesRegistered = 0;

  if (!input.dryRun) {
    const floorIds = new Map<string, string>();
    for (const p of newRooms) {
      let floorId: string | undefined;
      if (p.buildingName && p.floorName) {
        const key = `${p.buildingName.toLowerCase()}\n${p.floorName.toLowerCase()}`;
        floorId = floorIds.get(key) ?? floorOf(p.buildingName, p.floorName)?.id;
        if (!floorId) {
          let building = buildingNamed(p.buildingName);
          if (!building) {
            building = await createBuilding(db, { siteId: site.id, name: p.buildingName });
            buildings.push(building);
          }
          const level = /^-?\d+$/.test(p.floorName) ? Number(p.floorName) : 0;
          const floor = await createFloor(db, { buildingId: building.id, name: p.floorName, level });
          floors.push(floor);
          floorId = floor.id;
        }
        floorIds.set(key, floorId);
      }
      const room = await createRoom(db, { siteId: site.id, number: p.cells.room, floorId, name: p.cells.name });
      p.existingRoomId = room.id;
    }
  }

  const withDevices = good.filter((p) => p.report.device && (!input.dryRun || !p.report.roomIsNew));
  if (withDevices.length) {
    const outcome = await importAssignmentsCsv(db, {
      tenantId: site.id,
      csv: assignmentsCsv(withDevices),
      dryRun: input.dryRun,
      actor: input.actor,
    });
    // assignmentsCsv writes one row per line after the header, so line n + 2 is withDevices[n].
    for (const row of outcome.rows) {
      const p = withDevices[row.line - 2];
      if (!p) continue;
      if (!row.ok) {
        p.report.reasons.push(...row.reasons);
        if (!input.dryRun && p.report.roomIsNew)
          p.report.notes.push(`room ${p.cells.room} was made without its device`);
      }
      if (row.provisioned) p.report.provisioned = true;
    }
    devicesRegistered = outcome.imported;
  }
  for (const p of planned) {
    p.report.ok = p.report.reasons.length === 0;
    if (p.report.ok && input.dryRun && p.report.roomIsNew && p.report.device) {
      p.report.notes.push("the device's room is new: the last checks run when the import makes it");
    }
  }

  const reported = planned.map((p) => p.report);
  const accepted = reported.filter((r) => r.ok).length;
  return {
    dryRun: input.dryRun,
    rows: reported,
    accepted,
    rejected: reported.length - accepted,
    newRooms: newRooms.length,
    newFloors: floorKeys.size,
    devicesRegistered,
    warnings,
  };
}

/**
 * What can be checked of a new room's device before the room exists: identifiers given twice in the file or held
 * by another room or line, a MAC that is not one, and templates that do not exist for the site.
 */
async function checkNewRoomDevices(
  db: Db,
  site: { id: string; ancestorIds: string[] },
  planned: readonly PlannedRow[],
  delimiter: string,
): Promise<void> {
  const seen = new Map<string, number>();
  for (const p of planned) {
    const device = p.report.device;
    if (!device || p.report.reasons.length) continue;
    for (const key of identifierKeys(device)) {
      const earlier = seen.get(key);
      if (earlier !== undefined) p.report.reasons.push(`${key} is on line ${earlier} too`);
      else seen.set(key, p.report.line);
    }
  }

  const fresh = planned.filter((p) => p.report.roomIsNew && p.report.device && p.report.reasons.length === 0);
  if (fresh.length === 0) return;
  const or: Prisma.DeviceAssignmentWhereInput[] = [];
  for (const p of fresh) {
    const d = p.report.device!;
    if (d.serialNumber) or.push({ serialNumber: d.serialNumber });
    if (d.macAddress) or.push({ macAddress: d.macAddress });
    if (d.loid) or.push({ loid: d.loid });
  }
  const taken = await db.deviceAssignment.findMany({
    where: { state: ACTIVE, OR: or },
    select: {
      tenantId: true,
      serialNumber: true,
      macAddress: true,
      loid: true,
      room: { select: { number: true } },
      line: { select: { number: true, subscriber: { select: { externalId: true } } } },
    },
  });
  const templates = await db.template.findMany({
    where: { tenantId: { in: site.ancestorIds } },
    select: { name: true },
  });
  const templateNames = new Set(templates.map((t) => t.name.toLowerCase()));
  const separator = delimiter === ";" ? /\|/ : /[|;]/;

  for (const p of fresh) {
    const d = p.report.device!;
    if (p.cells.mac && !normalizeMac(p.cells.mac)) p.report.reasons.push(`${p.cells.mac} is not a MAC address`);
    for (const other of taken) {
      const which =
        d.serialNumber && other.serialNumber === d.serialNumber
          ? `serial ${d.serialNumber}`
          : d.macAddress && other.macAddress === d.macAddress
            ? `MAC ${d.macAddress}`
            : d.loid && other.loid === d.loid
              ? `LOID ${d.loid}`
              : null;
      if (!which) continue;
      const where =
        other.tenantId !== site.id
          ? "in another domain"
          : other.room
            ? `to room ${other.room.number}`
            : `to line ${other.line?.number} of subscriber ${other.line?.subscriber.externalId}`;
      p.report.reasons.push(`${which} is already assigned ${where}`);
    }
    for (const name of p.cells.templates
      .split(separator)
      .map((n) => n.trim())
      .filter(Boolean)) {
      if (!templateNames.has(name.toLowerCase())) p.report.reasons.push(`no template ${name} in this site or above`);
    }
  }
}

function identifierKeys(device: NonNullable<RoomImportRow["device"]>): string[] {
  return [
    ...(device.serialNumber ? [`serial ${device.serialNumber}`] : []),
    ...(device.macAddress ? [`MAC ${device.macAddress}`] : []),
    ...(device.loid ? [`LOID ${device.loid}`] : []),
  ];
}

/** The rows' device columns as importAssignmentsCsv reads them: one row per line, so lines map back by position. */
function assignmentsCsv(rows: readonly PlannedRow[]): string {
  const cell = (text: string) => {
    const flat = text.replace(/[\r\n]+/g, " ");
    return /[",]/.test(flat) ? `"${flat.replaceAll('"', '""')}"` : flat;
  };
  const lines = [["room", ...DEVICE_COLUMNS].join(",")];
  for (const p of rows) lines.push([p.cells.room, ...DEVICE_COLUMNS.map((c) => p.cells[c])].map(cell).join(","));
  return `${lines.join("\n")}\n`;
}
