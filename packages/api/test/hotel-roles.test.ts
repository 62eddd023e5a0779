import type { Db, Role } from "@beacon/db";
import { createTestDatabase, type TestDatabase } from "@beacon/db/testing";
import { claimDevice, createRoom } from "@beacon/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiServer, startApiServer } from "./helpers/api-server.ts";
import { seedHotelStaff } from "./helpers/hotel-staff.ts";
import { callProcedure } from "./helpers/trpc-http.ts";

/** Who may do what at a hotel: the front desk (support) checks rooms out; templates and provisioning are operators'. */
describe("hotel roles", () => {
  let database: TestDatabase;
  let db: Db;
  let server: ApiServer;
  const users = {} as Record<Role, string>;
  let hotelId: string;
  let roomId: string;

  const act = (role: Role, path: string, input: unknown) =>
    callProcedure(server.url, users[role], path, "mutation", input);
  const read = (role: Role, path: string, input: unknown) =>
    callProcedure(server.url, users[role], path, "query", input);

  beforeAll(async () => {
    database = await createTestDatabase();
    db = database.db;
    const staff = await seedHotelStaff(db);
    hotelId = staff.hotelId;
    Object.assign(users, staff.users);
    const device = await db.device.create({
      data: { tenantId: hotelId, oui: "001122", serialNumber: "ROOM-101", dataModelRoot: "Device" },
    });
    roomId = (await createRoom(db, { siteId: hotelId, number: "101" })).id;
    await claimDevice(db, { deviceId: device.id, roomId }, { label: "setup" });
    server = await startApiServer(db);
  });

  afterAll(async () => {
    await server?.close();
    await database?.drop();
  });

  it("lets the front desk check a room out and see its new passphrase, and a viewer neither", async () => {
    expect((await act("viewer", "checkout.room", { roomId })).error).toEqual({
      code: "FORBIDDEN",
      message: "Your role here does not allow checking rooms out.",
    });
    const done = await act("support", "checkout.room", { roomId, reboot: true });
    expect(done.status).toBe(200);
    const checkout = done.data as { id: string; roomNumber: string; state: string; passphrase: string };
    expect(checkout).toMatchObject({ roomNumber: "101", state: "pending" });
    expect(checkout.passphrase).toMatch(/^[\x20-\x7e]{8,63}$/);
    expect((await read("viewer", "checkout.get", { checkoutId: checkout.id })).data).toMatchObject({
      id: checkout.id,
      passphrase: null,
    });
    expect((await read("viewer", "checkout.card", { checkoutId: checkout.id })).error?.code).toBe("FORBIDDEN");
    const card = await read("support", "checkout.card", { checkoutId: checkout.id });
    expect(card.data).toMatchObject({
      siteName: "Hotel",
      roomNumber: "101",
      passphrase: checkout.passphrase,
      locales: ["en"],
    });
    const grid = await read("viewer", "sites.grid", { siteId: hotelId });
    expect(grid.data).toMatchObject({ counts: { "pending-checkout": 1 } });
  });

  it("keeps templates, rooms and provisioning to operators and owners", async () => {
    const changes = [
      ["templates.create", { tenantId: hotelId, name: "Guest WiFi", settings: { "wifi.2g.ssid": "Guest" } }],
      ["sites.createRoomRange", { siteId: hotelId, from: 102, to: 103 }],
      ["sites.importRooms", { siteId: hotelId, csv: "room\n104\n", dryRun: true }],
      ["provisioning.createSubscriber", { tenantId: hotelId, externalId: "S-1" }],
    ] as const;
    for (const [path, input] of changes) {
      expect((await act("support", path, input)).error?.code, path).toBe("FORBIDDEN");
      expect((await act("operator", path, input)).status, path).toBe(200);
    }
    expect((await read("viewer", "templates.list", { tenantId: hotelId })).data).toMatchObject([
      { name: "Guest WiFi", inherited: false },
    ]);
  });
});
