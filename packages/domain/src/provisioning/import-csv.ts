import type { Db } from "@beacon/db";
import { DomainError, Invalid } from "../errors.ts";
import type { MappingSet } from "../templates/mappings.ts";
import type { Actor } from "../users/users.ts";
import { type AssignmentRequest, checkAssignment, preRegisterDevice } from "./assignments.ts";
import { detectDelimiter, parseCsv } from "./csv.ts";
import { normalizeLoid, normalizeMac, normalizeSerial } from "./identifiers.ts";

/**
 * Pre-registration by spreadsheet. A header row names the columns, in any order and case:
 *
 *   site        optional: a domain below the importing one, by name or id (default: the importing domain)
 *   room        a room number of the site, or
 *   subscriber  the operator's subscriber id, with line (the line's number, default 1)
 *   serial, mac, loid   at least one, except for a line with a LOID of its own
 *   templates   optional: template names separated by "|" (or ";" in a comma-separated file)
 *   replace     optional: yes to swap the device a room or line has now
 */

export interface ImportAssignmentsInput {
  tenantId: string;
  csv: string;
  dryRun: boolean;
  /** Who imports; needed unless dryRun. */
  actor?: Actor;
  mappings?: MappingSet;
  /** The importer's reach: rows naming a device known outside it are refused (AssignmentRequest.reach). */
  reach?: readonly string[];
}

export interface ImportRowReport {
  /** The row's line in the file (the header is line 1). */
  line: number;
  ok: boolean;
  /** "room 101" or "line 1 of subscriber S-7", once known. */
  target: string | null;
  serialNumber: string | null;
  macAddress: string | null;
  loid: string | null;
  reasons: string[];
  /** Set for imported rows. */
  assignmentId?: string;
  /** True when a matching device had informed already and was provisioned at once. */
  provisioned?: boolean;
}

export interface ImportReport {
  dryRun: boolean;
  rows: ImportRowReport[];
  accepted: number;
  rejected: number;
  imported: number;
  /** About the file as a whole, e.g. columns that are not used. */
  warnings: string[];
}

type Column = "site" | "room" | "subscriber" | "line" | "serial" | "mac" | "loid" | "templates" | "replace";

const COLUMN_NAMES: Record<string, Column> = {
  site: "site",
  domain: "site",
  room: "room",
  roomnumber: "room",
  subscriber: "subscriber",
  subscriberid: "subscriber",
  customer: "subscriber",
  line: "line",
  linenumber: "line",
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

const YES = new Set(["yes", "y", "true", "1", "x"]);

export async function importAssignmentsCsv(db: Db, input: ImportAssignmentsInput): Promise<ImportReport> {
  if (!input.dryRun && !input.actor) throw new Invalid("an import needs to say who makes it");
  const delimiter = detectDelimiter(input.csv);
  const [header, ...rows] = parseCsv(input.csv, delimiter);
  if (!header) throw new Invalid("the file is empty");
  const warnings: string[] = [];
  const columns = new Map<Column, number>();
  header.cells.forEach((name, i) => {
    const column =
      COLUMN_NAMES[
        name
          .trim()
          .toLowerCase()
          .replace(/[\s_-]/g, "")
      ];
    if (!column) warnings.push(`column "${name.trim()}" is not used`);
    else if (columns.has(column)) warnings.push(`column "${name.trim()}" repeats ${column}; the first one is used`);
    else columns.set(column, i);
  });
  if (!columns.has("room") && !columns.has("subscriber")) {
    throw new Invalid("the file needs a room column or a subscriber column (the first line names the columns)");
  }

  const root = await db.tenant.findUnique({ where: { id: input.tenantId }, select: { id: true } });
  if (!root) throw new Invalid("the importing domain does not exist");
  const sites = await db.tenant.findMany({
    where: { ancestorIds: { has: input.tenantId } },
    select: { id: true, name: true, ancestorIds: true },
  });
  const templates = await db.template.findMany({
    where: { tenantId: { in: [...new Set(sites.flatMap((s) => s.ancestorIds))] } },
    select: { id: true, name: true, tenantId: true },
  });
  const roomsBySite = new Map<string, Map<string, string>>();
  const roomsOf = async (siteId: string) => {
    let rooms = roomsBySite.get(siteId);
    if (!rooms) {
      const found = await db.room.findMany({ where: { tenantId: siteId }, select: { id: true, number: true } });
      rooms = new Map(found.map((r) => [r.number.toLowerCase(), r.id]));
      roomsBySite.set(siteId, rooms);
    }
    return rooms;
  };

  const report: ImportRowReport[] = [];
  const requests = new Map<number, AssignmentRequest>();
  const seen = new Map<string, number>();
  for (const row of rows) {
    const cell = (c: Column) => {
      const i = columns.get(c);
      return i === undefined ? "" : (row.cells[i] ?? "").trim();
    };
    const entry: ImportRowReport = {
      line: row.line,
      ok: false,
      target: null,
      serialNumber: cell("serial") ? normalizeSerial(cell("serial")) : null,
      macAddress: cell("mac") ? (normalizeMac(cell("mac")) ?? cell("mac")) : null,
      loid: cell("loid") ? normalizeLoid(cell("loid")) : null,
      reasons: [],
    };
    report.push(entry);

    let site = sites.find((s) => s.id === input.tenantId)!;
    if (cell("site")) {
      const named = sites.filter((s) => s.id === cell("site") || s.name.toLowerCase() === cell("site").toLowerCase());
      if (named.length !== 1) {
        entry.reasons.push(
          named.length
            ? `several domains are named ${cell("site")}`
            : `no domain ${cell("site")} below the importing one`,
        );
        continue;
      }
      site = named[0]!;
    }

    const request: AssignmentRequest = {
      reach: input.reach,
      serialNumber: cell("serial") || undefined,
      macAddress: cell("mac") || undefined,
      loid: cell("loid") || undefined,
      replace: YES.has(cell("replace").toLowerCase()),
    };
    if (cell("room") && cell("subscriber")) {
      entry.reasons.push("give a room or a subscriber, not both");
    } else if (cell("room")) {
      const roomId = (await roomsOf(site.id)).get(cell("room").toLowerCase());
      if (roomId) request.roomId = roomId;
      else entry.reasons.push(`${site.name} has no room ${cell("room")}`);
    } else if (cell("subscriber")) {
      const line = await db.line.findFirst({
        where: { tenantId: site.id, number: cell("line") || "1", subscriber: { externalId: cell("subscriber") } },
        select: { id: true },
      });
      if (line) request.lineId = line.id;
      else entry.reasons.push(`${site.name} has no line ${cell("line") || "1"} of subscriber ${cell("subscriber")}`);
    } else {
      entry.reasons.push("give a room or a subscriber");
    }

    if (cell("templates")) {
      const separator = delimiter === ";" ? /\|/ : /[|;]/;
      const ids: string[] = [];
      for (const name of cell("templates")
        .split(separator)
        .map((n) => n.trim())
        .filter(Boolean)) {
        // The nearest domain's template of that name wins, as it would in the console's list.
        const found = templates
          .filter((t) => t.name.toLowerCase() === name.toLowerCase() && site.ancestorIds.includes(t.tenantId))
          .sort((a, b) => site.ancestorIds.indexOf(b.tenantId) - site.ancestorIds.indexOf(a.tenantId))[0];
        if (found) ids.push(found.id);
        else entry.reasons.push(`no template ${name} in ${site.name} or above`);
      }
      request.templateIds = ids;
    }
    if (entry.reasons.length) continue;

    const check = await checkAssignment(db, request);
    if (!check.ok) {
      entry.reasons.push(...check.problems);
      continue;
    }
    const a = check.assignment;
    entry.target = a.target;
    entry.serialNumber = a.serialNumber;
    entry.macAddress = a.macAddress;
    entry.loid = a.loid;
    const keys = [
      `target:${a.roomId ?? a.lineId}`,
      ...(a.serialNumber ? [`serial ${a.serialNumber}`] : []),
      ...(a.macAddress ? [`MAC ${a.macAddress}`] : []),
      ...(a.loid ? [`LOID ${a.loid}`] : []),
    ];
    for (const key of keys) {
      const earlier = seen.get(key);
      if (earlier !== undefined) {
        entry.reasons.push(
          key.startsWith("target:") ? `${a.target} is on line ${earlier} too` : `${key} is on line ${earlier} too`,
        );
      }
    }
    if (entry.reasons.length) continue;
    for (const key of keys) seen.set(key, row.line);
    entry.ok = true;
    requests.set(row.line, request);
  }

  let imported = 0;
  if (!input.dryRun) {
    for (const entry of report) {
      const request = requests.get(entry.line);
      if (!entry.ok || !request) continue;
      try {
        const made = await preRegisterDevice(db, request, input.actor!, { mappings: input.mappings });
        entry.assignmentId = made.assignment.id;
        entry.provisioned = made.provisioned?.kind === "provisioned";
        imported++;
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        entry.ok = false;
        entry.reasons.push(error.message);
      }
    }
  }
  const accepted = report.filter((r) => r.ok).length;
  return { dryRun: input.dryRun, rows: report, accepted, rejected: report.length - accepted, imported, warnings };
}
