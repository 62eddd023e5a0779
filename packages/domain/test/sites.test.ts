import type { Db } from "@beacon/db";
import { createTestDatabase, type TestDatabase } from "@beacon/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claimDevice, preRegisterDevice } from "../src/provisioning/assignments.ts";
import { roomGrid } from "../src/sites/room-grid.ts";
import { compareRoomNumbers, createBuilding, createFloor, createRoom, createRoomRange } from "../src/sites/rooms.ts";
import { createLine, createSubscriber, findLine, searchSubscribers } from "../src/sites/subscribers.ts";
import { createTask } from "../src/tasks/create-task.ts";
import { cpeModel } from "./fixtures/cpe-models.ts";
import { createModelDevice } from "./support/cpe-devices.ts";
import { actor, domainTree, finishTask } from "./support/domains.ts";

describe("rooms", () => {
  let database: TestDatabase;
  let db: Db;
  let tree: Awaited<ReturnType<typeof domainTree>>;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = database.db;
    tree = await domainTree(db, "sites");
  });
  afterAll(() => database?.drop());

  it("orders room numbers the way people read them", () => {
    expect(["1001", "A-10", "101", "99", "A-2", "102"].sort(compareRoomNumbers)).toEqual([
      "99",
      "101",
      "102",
      "1001",
      "A-2",
      "A-10",
    ]);
  });

  it("creates a floor's rooms from a range and leaves existing ones alone", async () => {
    const annex = await createBuilding(db, { siteId: tree.otherHotel.id, name: "Annex" });
    const floor = await createFloor(db, { buildingId: annex.id, name: "Ground", level: 0 });
    await createRoom(db, { siteId: tree.otherHotel.id, number: "A3", floorId: floor.id });
    const made = await createRoomRange(db, {
      siteId: tree.otherHotel.id,
      floorId: floor.id,
      from: 1,
      to: 4,
      prefix: "A",
    });
    expect(made.created.map((r) => r.number)).toEqual(["A1", "A2", "A4"]);
    expect(made.existing).toEqual(["A3"]);
    await expect(createRoom(db, { siteId: tree.otherHotel.id, number: "A1" })).rejects.toThrow(
      "this site already has a room A1",
    );
    await expect(createRoomRange(db, { siteId: tree.otherHotel.id, from: 5, to: 2 })).rejects.toThrow(/range/);
  });

  it("shows every room with its device's state, by building and floor", async () => {
    const now = new Date();
    const main = await createBuilding(db, { siteId: tree.hotel.id, name: "Main" });
    const first = await createFloor(db, { buildingId: main.id, name: "First", level: 1 });
    const ground = await createFloor(db, { buildingId: main.id, name: "Ground", level: 0 });
    const room = async (number: string, floorId?: string) =>
      (await createRoom(db, { siteId: tree.hotel.id, number, floorId })).id;
    const r = {
      "101": await room("101", first.id),
      "110": await room("110", first.id),
      "102": await room("102", first.id),
      "001": await room("001", ground.id),
      "002": await room("002", ground.id),
      "003": await room("003", ground.id),
      "900": await room("900"),
    };
    const model = cpeModel("huawei-eg8145v5");
    const place = async (roomId: string, serial: string, lastInformAt: Date) => {
      const deviceId = await createModelDevice(db, tree.integrator.id, model, {
        serialNumber: serial,
        withParameters: false,
        lastInformAt,
      });
      await claimDevice(db, { deviceId, roomId }, actor);
      return deviceId;
    };
    await place(r["101"], "48575443000F0101", new Date(now.getTime() - 60_000)); // 1 min ago, interval 300 s
    await place(r["102"], "48575443000F0102", new Date(now.getTime() - 3_600_000)); // an hour ago
    await preRegisterDevice(db, { roomId: r["110"], serialNumber: "HWTC000F0110" }, actor);
    const faulty = await place(r["001"], "48575443000F0001", now);
    const task = await createTask(db, { deviceId: faulty, kind: "reboot", args: {} }, actor);
    await finishTask(db, task.id, { code: 9001, message: "Request denied" });
    const leaving = await place(r["002"], "48575443000F0002", now);
    await db.checkout.create({
      data: {
        tenantId: tree.hotel.id,
        roomId: r["002"],
        deviceId: leaving,
        passphrase: "next-guest-pass",
        requestedBy: "desk",
      },
    });

    const grid = await roomGrid(db, tree.hotel.id, now);
    const [building] = grid.buildings;
    expect(building?.name).toBe("Main");
    expect(building?.floors.map((f) => [f.name, f.rooms.map((x) => [x.number, x.state])])).toEqual([
      [
        "Ground",
        [
          ["001", "fault"],
          ["002", "pending-checkout"],
          ["003", "unprovisioned"],
        ],
      ],
      [
        "First",
        [
          ["101", "online"],
          ["102", "offline"],
          ["110", "unprovisioned"],
        ],
      ],
    ]);
    expect(grid.otherRooms.map((x) => [x.number, x.state])).toEqual([["900", "unprovisioned"]]);
    expect(grid.counts).toEqual({
      online: 1,
      offline: 1,
      unprovisioned: 3,
      "pending-checkout": 1,
      "checkout-incomplete": 0,
      fault: 1,
    });
    const cells = building!.floors.flatMap((f) => f.rooms);
    expect(cells.find((c) => c.number === "110")?.assignment).toMatchObject({
      state: "waiting",
      serialNumber: "HWTC000F0110",
    });
    expect(cells.find((c) => c.number === "001")?.fault).toMatchObject({
      kind: "reboot",
      code: 9001,
      message: "Request denied",
    });
  });
});

describe("subscribers", () => {
  let database: TestDatabase;
  let db: Db;
  let tree: Awaited<ReturnType<typeof domainTree>>;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = database.db;
    tree = await domainTree(db, "subs");
    const alice = await createSubscriber(db, {
      tenantId: tree.operator.id,
      externalId: "CUST-0042",
      name: "Alice Martin",
      address: "12 Rue des Lilas, Lyon",
    });
    await createLine(db, {
      subscriberId: alice.id,
      loid: "LOID-ALICE",
      slid: "SLID-7788",
      servicePlan: "Fibre 1G",
      phoneNumber: "+33472000042",
    });
    await createLine(db, { subscriberId: alice.id, number: "2", servicePlan: "TV" });
    const bob = await createSubscriber(db, {
      tenantId: tree.operator.id,
      externalId: "CUST-0043",
      name: "Bob Roux",
      address: "3 Quai Rambaud, Lyon",
    });
    await createLine(db, { subscriberId: bob.id, loid: "LOID-BOB", servicePlan: "Fibre 500M" });
    await createSubscriber(db, { tenantId: tree.otherHotel.id, externalId: "CUST-0042", name: "Elsewhere" });
  });
  afterAll(() => database?.drop());

  it.each([
    ["0042", ["CUST-0042"]],
    ["alice", ["CUST-0042"]],
    ["quai rambaud", ["CUST-0043"]],
    ["loid-bob", ["CUST-0043"]],
    ["SLID-7788", ["CUST-0042"]],
    ["fibre", ["CUST-0042", "CUST-0043"]],
    ["+33472", ["CUST-0042"]],
    ["lyon", ["CUST-0042", "CUST-0043"]],
    ["nobody", []],
  ])("finds subscribers by %j", async (query, expected) => {
    const found = await searchSubscribers(db, { tenantId: tree.operator.id, query });
    expect(found.map((s) => s.externalId)).toEqual(expected);
  });

  it("returns each subscriber with its lines", async () => {
    const [alice] = await searchSubscribers(db, { tenantId: tree.operator.id, query: "LOID-ALICE" });
    expect(alice?.lines.map((l) => [l.number, l.loid, l.servicePlan, l.device])).toEqual([
      ["1", "LOID-ALICE", "Fibre 1G", null],
      ["2", null, "TV", null],
    ]);
  });

  it("searches a domain and the domains below it only", async () => {
    const all = await searchSubscribers(db, { tenantId: tree.integrator.id, query: "CUST-0042" });
    expect(all.map((s) => s.tenant.id).sort()).toEqual([tree.operator.id, tree.otherHotel.id].sort());
    expect(await searchSubscribers(db, { tenantId: tree.hotel.id, query: "CUST" })).toEqual([]);
  });

  it("keeps LOIDs unique among an operator's live lines and finds a line by subscriber id", async () => {
    const carol = await createSubscriber(db, { tenantId: tree.operator.id, externalId: "CUST-0044" });
    await expect(createLine(db, { subscriberId: carol.id, loid: "LOID-BOB" })).rejects.toThrow(
      "LOID LOID-BOB is already on a line of subscriber CUST-0043",
    );
    const line = await findLine(db, { tenantId: tree.operator.id, subscriberId: "CUST-0042", lineNumber: "2" });
    expect(line.servicePlan).toBe("TV");
  });
});
