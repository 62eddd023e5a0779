import type { Db } from "@beacon/db";
import { createTestDatabase, type TestDatabase } from "@beacon/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { preRegisterDevice } from "../src/provisioning/assignments.ts";
import { importRoomsCsv } from "../src/sites/import-rooms.ts";
import { roomGrid } from "../src/sites/room-grid.ts";
import { createBuilding, createFloor, createRoom } from "../src/sites/rooms.ts";
import { actor, domainTree } from "./support/domains.ts";

describe("importRoomsCsv", () => {
  let database: TestDatabase;
  let db: Db;
  let tree: Awaited<ReturnType<typeof domainTree>>;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = database.db;
    tree = await domainTree(db, "rooms-csv");
  });
  afterAll(() => database?.drop());

  it("reports every bad row in a dry run and changes nothing", async () => {
    const taken = await createRoom(db, { siteId: tree.otherHotel.id, number: "7" });
    await preRegisterDevice(db, { roomId: taken.id, serialNumber: "TAKEN0001" }, actor);
    const csv = [
      "Room;Floor;Serial Number;Colour",
      "101;1;SIM0001",
      "102;1;",
      ";1;SIM0003",
      "101;2;SIM0004",
      "103;1;TAKEN0001",
      "104;1;SIM0001",
      "105;1;;;",
    ].join("\n");
    const report = await importRoomsCsv(db, { siteId: tree.hotel.id, csv, dryRun: true });
    expect(report.warnings).toEqual(['column "Colour" is not used']);
    expect(report.rows.map((r) => [r.line, r.ok, r.reasons])).toEqual([
      [2, true, []],
      [3, true, []],
      [4, false, ["give the room's number"]],
      [5, false, ["room 101 is on line 2 too"]],
      [6, false, ["serial TAKEN0001 is already assigned in another domain"]],
      [7, false, ["serial SIM0001 is on line 2 too"]],
      [8, true, []],
    ]);
    expect(report.rows[0]).toMatchObject({ room: "101", floor: "Main building / 1", roomIsNew: true });
    expect(report).toMatchObject({ accepted: 3, rejected: 4, newRooms: 3, newFloors: 1, devicesRegistered: 0 });
    expect(await db.room.count({ where: { tenantId: tree.hotel.id } })).toBe(0);
  });

  it("makes the rooms, their floor and building, and pre-registers their devices", async () => {
    const csv = "room,floor,serial\n101,1,SIM0101\n102,1,\n103,1,SIM0103\n";
    const report = await importRoomsCsv(db, { siteId: tree.hotel.id, csv, dryRun: false, actor });
    expect(report.rows.every((r) => r.ok)).toBe(true);
    expect(report).toMatchObject({ newRooms: 3, newFloors: 1, devicesRegistered: 2 });
    const grid = await roomGrid(db, tree.hotel.id);
    expect(grid.buildings.map((b) => b.name)).toEqual(["Main building"]);
    const floor = grid.buildings[0]!.floors[0]!;
    expect(floor).toMatchObject({ name: "1", level: 1 });
    expect(floor.rooms.map((r) => [r.number, r.assignment?.serialNumber ?? null])).toEqual([
      ["101", "SIM0101"],
      ["102", null],
      ["103", "SIM0103"],
    ]);
  });

  it("checks existing rooms' devices fully and leaves the rooms where they are", async () => {
    const annex = await createBuilding(db, { siteId: tree.otherHotel.id, name: "Annex" });
    const ground = await createFloor(db, { buildingId: annex.id, name: "Ground", level: 0 });
    await createRoom(db, { siteId: tree.otherHotel.id, number: "A1", floorId: ground.id });
    const csv = "room,floor,mac\nA1,Ground,00:11:22:33:44:55\nA2,0,not-a-mac\n7,Ground,\n";
    const report = await importRoomsCsv(db, { siteId: tree.otherHotel.id, csv, dryRun: true });
    expect(report.rows.map((r) => [r.room, r.ok, r.reasons, r.notes])).toEqual([
      ["A1", true, [], []],
      ["A2", false, ["not-a-mac is not a MAC address"], []],
      ["7", true, [], ["room 7 exists already", "room 7 exists on another floor and stays there"]],
    ]);
    expect(report.rows[1]!.floor).toBe("Annex / 0");
    expect(report.newFloors).toBe(0);
  });

  it("refuses a file without a room column, or meant for several sites", async () => {
    await expect(importRoomsCsv(db, { siteId: tree.hotel.id, csv: "serial\nX1\n", dryRun: true })).rejects.toThrow(
      /needs a room column/,
    );
    await expect(importRoomsCsv(db, { siteId: tree.hotel.id, csv: "site,room\nA,1\n", dryRun: true })).rejects.toThrow(
      /provisioning import/,
    );
  });
});
