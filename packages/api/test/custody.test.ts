import type { Db, Role } from "@beacon/db";
import { createTestDatabase, type TestDatabase } from "@beacon/db/testing";
import { createRoom, createTenant, ensurePlatformTenant } from "@beacon/domain";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiServer, startApiServer } from "./helpers/api-server.ts";
import { seedHotelStaff } from "./helpers/hotel-staff.ts";
import { callProcedure } from "./helpers/trpc-http.ts";

/** A hotel takes only devices within its reach: not from the platform's inbox above it, not from a neighbour. */
describe("device custody", () => {
  let database: TestDatabase;
  let db: Db;
  let server: ApiServer;
  const users = {} as Record<Role, string>;
  let hotelId: string;
  let roomId: string;
  const devices = {} as Record<"platform" | "neighbour", string>;

  const act = (path: string, input: unknown) => callProcedure(server.url, users.operator, path, "mutation", input);

  beforeAll(async () => {
    database = await createTestDatabase();
    db = database.db;
    const staff = await seedHotelStaff(db);
    hotelId = staff.hotelId;
    Object.assign(users, staff.users);
    const platform = await ensurePlatformTenant(db);
    const neighbour = await createTenant(db, { name: "Hotel Voisin", kind: "hotel", parentId: platform.id });
    roomId = (await createRoom(db, { siteId: hotelId, number: "101" })).id;
    devices.platform = (
      await db.device.create({
        data: { tenantId: platform.id, oui: "001122", serialNumber: "INBOX-0001", macAddress: "00:11:22:33:44:01" },
      })
    ).id;
    devices.neighbour = (
      await db.device.create({ data: { tenantId: neighbour.id, oui: "001122", serialNumber: "OTHER-0001" } })
    ).id;
    server = await startApiServer(db);
  });

  afterAll(async () => {
    await server?.close();
    await database?.drop();
  });

  it.each([
    ["INBOX-0001", "the platform's inbox"],
    ["OTHER-0001", "another hotel"],
  ])("refuses to pre-register serial %s, which sits in %s, without saying where", async (serialNumber) => {
    const answer = await act("provisioning.preRegister", { place: { roomId }, serialNumber, replace: false });
    expect(answer.error?.code).toBe("BAD_REQUEST");
    expect(answer.error?.message).toMatch(/managed outside your domains/);
    expect(answer.text).not.toMatch(/Platform|Voisin/i);
    expect(await db.deviceAssignment.count()).toBe(0);
    const device = await db.device.findFirstOrThrow({ where: { serialNumber } });
    expect(device.tenantId).not.toBe(hotelId);
  });

  it("refuses a MAC address that belongs to a device out of reach, in any spelling", async () => {
    const answer = await act("provisioning.preRegister", {
      place: { roomId },
      macAddress: "00-11-22-33-44-01",
      replace: false,
    });
    expect(answer.error?.message).toMatch(/managed outside your domains/);
  });

  it("refuses the same serial in a CSV import", async () => {
    const csv = "site,room,serial\nHotel,101,INBOX-0001\n";
    const answer = await act("provisioning.importCsv", { tenantId: hotelId, csv, dryRun: true });
    expect(answer.text).toMatch(/managed outside your domains/);
    expect(answer.text).not.toMatch(/Platform|Voisin/i);
  });

  it.each(["platform", "neighbour"] as const)(
    "answers a claim of the %s's device as if it did not exist",
    async (which) => {
      const answer = await act("provisioning.claim", { deviceId: devices[which], place: { roomId } });
      expect(answer.error).toEqual({ code: "NOT_FOUND", message: "Device not found." });
    },
  );

  it("pre-registers a serial Beacon has never seen", async () => {
    const answer = await act("provisioning.preRegister", {
      place: { roomId },
      serialNumber: "NEVER-SEEN-1",
      replace: false,
    });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.data).toMatchObject({ state: "waiting" });
  });

  it("moves a device only for someone who reaches both domains", async () => {
    const answer = await act("devices.move", { deviceIds: [devices.platform], tenantId: hotelId });
    expect(answer.error?.code).toBe("NOT_FOUND");
    expect((await db.device.findUniqueOrThrow({ where: { id: devices.platform } })).tenantId).not.toBe(hotelId);
  });
});
