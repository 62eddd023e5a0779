import type { Db } from "@beacon/db";
import { createTestDatabase, type TestDatabase } from "@beacon/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCsv } from "../src/provisioning/csv.ts";
import { normalizeMac, normalizeSerial, serialVariants } from "../src/provisioning/identifiers.ts";
import { importAssignmentsCsv } from "../src/provisioning/import-csv.ts";
import { createRoomRange } from "../src/sites/rooms.ts";
import { createLine, createSubscriber } from "../src/sites/subscribers.ts";
import { createTemplate } from "../src/templates/templates.ts";
import { cpeModel } from "./fixtures/cpe-models.ts";
import { createModelDevice } from "./support/cpe-devices.ts";
import { actor, domainTree } from "./support/domains.ts";

describe("CSV and identifiers", () => {
  it("reads quoted cells with delimiters, doubled quotes and line breaks, a BOM and CRLF", () => {
    const rows = parseCsv('\ufeffroom,note\r\n101,"a, b"\r\n102,"say ""hi""\nthere"\r\n\r\n');
    expect(rows).toEqual([
      { line: 1, cells: ["room", "note"] },
      { line: 2, cells: ["101", "a, b"] },
      { line: 3, cells: ["102", 'say "hi"\nthere'] },
    ]);
  });

  it("takes ';' as the delimiter when the header uses it", () => {
    expect(parseCsv("room;serial\n101;HWTC1")).toEqual([
      { line: 1, cells: ["room", "serial"] },
      { line: 2, cells: ["101", "HWTC1"] },
    ]);
  });

  it("writes GPON serials in their vendor-letters form and MACs with colons", () => {
    expect(normalizeSerial("48575443A94196A5")).toBe("HWTCA94196A5");
    expect(normalizeSerial(" alclfc265d6f ")).toBe("ALCLFC265D6F");
    expect(normalizeSerial("2226469000523")).toBe("2226469000523");
    expect(serialVariants("HWTCA94196A5")).toEqual(["HWTCA94196A5", "48575443A94196A5"]);
    expect(normalizeMac("00-25-9e-01-02-03")).toBe("00:25:9E:01:02:03");
    expect(normalizeMac("00259E010203")).toBe("00:25:9E:01:02:03");
    expect(normalizeMac("0025.9e01.0203")).toBe("00:25:9E:01:02:03");
    expect(normalizeMac("zz:zz")).toBeNull();
  });
});

describe("pre-registration by CSV", () => {
  let database: TestDatabase;
  let db: Db;
  let tree: Awaited<ReturnType<typeof domainTree>>;

  const file = (tree: { hotel: { name: string }; operator: { name: string } }) =>
    [
      "Site,Room,Subscriber,Line,Serial Number,MAC,LOID,Templates,Comment",
      `${tree.hotel.name},301,,,HWTC0000AAA1,,,Room WiFi,first floor`,
      `${tree.hotel.name},302,,,,00-25-9e-00-00-02,,,`,
      `${tree.hotel.name},303,,,,zz:zz,,,`,
      `${tree.hotel.name},399,,,HWTC0000AAA4,,,,`,
      `${tree.hotel.name},304,,,hwtc0000aaa1,,,,`,
      `${tree.hotel.name},305,,,,,,,`,
      `${tree.hotel.name},306,,,HWTC0000AAA6,,,Nope,`,
      `${tree.operator.name},,S-2,,,,,,uses the line's LOID`,
      `${tree.operator.name},,S-9,,HWTC0000AAA9,,,,`,
      `Nowhere,307,,,HWTC0000AAA7,,,,`,
    ].join("\n");

  beforeAll(async () => {
    database = await createTestDatabase();
    db = database.db;
    tree = await domainTree(db, "csv");
    await createRoomRange(db, { siteId: tree.hotel.id, from: 301, to: 310 });
    await createTemplate(
      db,
      { tenantId: tree.integrator.id, name: "Room WiFi", settings: { "wifi.2g.ssid": "R{{room.number}}" } },
      actor,
    );
    const subscriber = await createSubscriber(db, { tenantId: tree.operator.id, externalId: "S-2" });
    await createLine(db, { subscriberId: subscriber.id, loid: "LOID-S2" });
  });
  afterAll(() => database?.drop());

  it("reports every row in a dry run, with the reasons bad rows are refused, and creates nothing", async () => {
    const report = await importAssignmentsCsv(db, { tenantId: tree.integrator.id, csv: file(tree), dryRun: true });
    expect(report.warnings).toEqual(['column "Comment" is not used']);
    const rows = Object.fromEntries(report.rows.map((r) => [r.line, r]));
    expect(rows[2]).toMatchObject({ ok: true, target: "room 301", serialNumber: "HWTC0000AAA1", reasons: [] });
    expect(rows[3]).toMatchObject({ ok: true, target: "room 302", macAddress: "00:25:9E:00:00:02" });
    expect(rows[4]).toMatchObject({ ok: false, reasons: ["zz:zz is not a MAC address"] });
    expect(rows[5]?.reasons).toEqual([`${tree.hotel.name} has no room 399`]);
    expect(rows[6]?.reasons).toEqual(["serial HWTC0000AAA1 is on line 2 too"]);
    expect(rows[7]?.reasons).toEqual(["give a serial number, a MAC address or a LOID"]);
    expect(rows[8]?.reasons).toEqual([`no template Nope in ${tree.hotel.name} or above`]);
    expect(rows[9]).toMatchObject({ ok: true, target: "line 1 of subscriber S-2", loid: "LOID-S2" });
    expect(rows[10]?.reasons).toEqual([`${tree.operator.name} has no line 1 of subscriber S-9`]);
    expect(rows[11]?.reasons).toEqual(["no domain Nowhere below the importing one"]);
    expect(report).toMatchObject({ dryRun: true, accepted: 3, rejected: 7, imported: 0 });
    expect(await db.deviceAssignment.count()).toBe(0);
  });

  it("imports only the good rows, and importing the same file again changes nothing", async () => {
    const report = await importAssignmentsCsv(db, {
      tenantId: tree.integrator.id,
      csv: file(tree),
      dryRun: false,
      actor,
    });
    expect(report).toMatchObject({ accepted: 3, rejected: 7, imported: 3 });
    const made = await db.deviceAssignment.findMany({ orderBy: { createdAt: "asc" }, include: { room: true } });
    expect(made.map((a) => [a.room?.number ?? "line", a.serialNumber ?? a.macAddress ?? a.loid, a.state])).toEqual([
      ["301", "HWTC0000AAA1", "waiting"],
      ["302", "00:25:9E:00:00:02", "waiting"],
      ["line", "LOID-S2", "waiting"],
    ]);
    const template = await db.template.findFirstOrThrow({ where: { name: "Room WiFi" } });
    expect(made[0]?.templateIds).toEqual([template.id]);

    const again = await importAssignmentsCsv(db, {
      tenantId: tree.integrator.id,
      csv: file(tree),
      dryRun: false,
      actor,
    });
    expect(again.imported).toBe(3);
    expect(await db.deviceAssignment.count()).toBe(3);
  });

  it("refuses a row that would swap a room's device unless the file says replace", async () => {
    const csv = `room;serial;replace\n301;HWTC0000BBB1;\n302;HWTC0000BBB2;yes\n`;
    const report = await importAssignmentsCsv(db, { tenantId: tree.hotel.id, csv, dryRun: false, actor });
    expect(report.rows[0]?.reasons).toEqual([
      "room 301 already has a pre-registered device (HWTC0000AAA1); confirm the replacement to swap it",
    ]);
    expect(report.rows[1]).toMatchObject({ ok: true, serialNumber: "HWTC0000BBB2" });
    const room302 = await db.deviceAssignment.findMany({
      where: { room: { number: "302" } },
      orderBy: { createdAt: "asc" },
    });
    expect(room302.map((a) => a.state)).toEqual(["released", "waiting"]);
  });

  it("provisions at once a device that had informed before its row was imported", async () => {
    const deviceId = await createModelDevice(db, tree.integrator.id, cpeModel("huawei-eg8145v5"), {
      serialNumber: "4857544300000D01",
      withParameters: false,
    });
    const report = await importAssignmentsCsv(db, {
      tenantId: tree.hotel.id,
      csv: "room,serial\n303,HWTC00000D01\n",
      dryRun: false,
      actor,
    });
    expect(report.rows[0]).toMatchObject({ ok: true, provisioned: true });
    const device = await db.device.findUniqueOrThrow({ where: { id: deviceId } });
    expect(device.tenantId).toBe(tree.hotel.id);
  });

  it("needs a room or a subscriber column", async () => {
    await expect(
      importAssignmentsCsv(db, { tenantId: tree.hotel.id, csv: "serial\nX\n", dryRun: true }),
    ).rejects.toThrow(/needs a room column or a subscriber column/);
  });
});
