import { createTestDatabase, type TestDatabase } from "@beacon/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DeviceQuery, macSpellings } from "../src/devices/device-query.ts";
import { findDevices } from "../src/devices/find-devices.ts";
import { getDevice, revealRoomPassphrase } from "../src/devices/get-device.ts";
import { MASK } from "../src/secrets/secret-parameters.ts";
import type { TenantAccess } from "../src/tenancy/tenant-access.ts";
import { tenantScope } from "../src/tenancy/tenant-scope.ts";
import { createTenant, ensurePlatformTenant } from "../src/tenants/tenants.ts";

// Support finds the guest's room (issue #17): the list's search matches inside serials, MACs, IP addresses, room
// numbers and names and subscriber ids, through the tenant scope; the device page shows the room, its site and
// the room's passphrase masked, revealed (audited) only to roles that may reveal secrets.
describe("device search inside values, rooms and subscribers", () => {
  let database: TestDatabase;
  let hotelId: string;
  let operatorId: string;
  let otherHotelId: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    database = await createTestDatabase();
    const platformId = (await ensurePlatformTenant(database.db)).id;
    const integratorId = (
      await createTenant(database.db, { name: "Integrator", kind: "integrator", parentId: platformId })
    ).id;
    hotelId = (await createTenant(database.db, { name: "Hotel Azur", kind: "hotel", parentId: integratorId })).id;
    operatorId = (await createTenant(database.db, { name: "FibreNet", kind: "operator", parentId: platformId })).id;
    otherHotelId = (await createTenant(database.db, { name: "Hotel Nord", kind: "hotel", parentId: platformId })).id;
    const device = async (tenantId: string, serialNumber: string, extra: Record<string, unknown> = {}) => {
      const row = await database.db.device.create({
        data: { tenantId, oui: "00259E", productClass: "EG8145V5", serialNumber, lastInformAt: new Date(), ...extra },
      });
      ids[serialNumber] = row.id;
      return row.id;
    };
    // In room 103: its serial says nothing of the room.
    const inRoom103 = await device(hotelId, "HWTC00000001");
    // Not in a room, "103" in the middle of its serial, its MAC and IP to find by their middles.
    await device(hotelId, "HWTC7A1B0103", { macAddress: "00:25:9E:7A:1B:2C", externalIp: "10.20.30.40" });
    const inSuite = await device(hotelId, "HWTC00000002");
    const onLine = await device(operatorId, "ALCL00000009");
    // The other hotel has its own room 103 with its own device.
    const otherRoom = await device(otherHotelId, "ZTEG00000007");
    const room = async (tenantId: string, number: string, name: string, deviceId: string, passphrase?: string) => {
      const r = await database.db.room.create({ data: { tenantId, number, name, wifiPassphrase: passphrase } });
      await database.db.deviceAssignment.create({
        data: { tenantId, roomId: r.id, deviceId, state: "provisioned", provisionedAt: new Date() },
      });
      return r.id;
    };
    ids.room103 = await room(hotelId, "103", "", inRoom103, "sea-breeze-4711");
    await room(hotelId, "207", "Suite Panorama", inSuite);
    await room(otherHotelId, "103", "", otherRoom, "north-wind-9");
    // A room whose device was replaced: its old device is no longer "in" it.
    const old = await device(hotelId, "HWTC0000OLD1");
    const r305 = await database.db.room.create({ data: { tenantId: hotelId, number: "305" } });
    await database.db.deviceAssignment.create({
      data: { tenantId: hotelId, roomId: r305.id, deviceId: old, state: "released" },
    });
    const subscriber = await database.db.subscriber.create({
      data: { tenantId: operatorId, externalId: "SUB-448812", name: "M. Martin" },
    });
    const line = await database.db.line.create({ data: { tenantId: operatorId, subscriberId: subscriber.id } });
    await database.db.deviceAssignment.create({
      data: { tenantId: operatorId, lineId: line.id, deviceId: onLine, state: "provisioned" },
    });
  });
  afterAll(() => database.drop());

  const member = (tenantId: string, role: "owner" | "operator" | "support" | "viewer"): TenantAccess => ({
    userId: `${role}-${tenantId}`,
    actor: { label: role },
    memberships: [{ tenantId, role }],
  });
  const search = async (access: TenantAccess, text: string, tenantId?: string) => {
    const page = await findDevices(
      tenantScope(database.db, access),
      access,
      DeviceQuery.parse({ search: text, tenantId }),
    );
    return page.rows.map((r) => r.serialNumber).sort();
  };

  it('finds room 103\'s device and the device whose serial holds "103"', async () => {
    const support = member(hotelId, "support");
    expect(await search(support, "103")).toEqual(["HWTC00000001", "HWTC7A1B0103"]);
    expect(await search(support, "103", hotelId)).toEqual(["HWTC00000001", "HWTC7A1B0103"]);
    expect(await search(support, "7a1b01")).toEqual(["HWTC7A1B0103"]);
  });

  it("finds a MAC address by any part, with colons, dashes or no separator, from either byte alignment", async () => {
    const support = member(hotelId, "support");
    for (const text of ["7a:1b:2c", "7A-1B-2C", "7a1b2c", "A1B2", "9e7a1b", "1B:2C"]) {
      expect(await search(support, text), text).toEqual(["HWTC7A1B0103"]);
    }
    expect(macSpellings("a1b2")).toEqual(["a1:b2", "a:1b:2"]);
  });

  it("finds an IP address by its middle", async () => {
    expect(await search(member(hotelId, "support"), "20.30")).toEqual(["HWTC7A1B0103"]);
  });

  it("finds a device by its room's name and by its subscriber's id, not by a room it has left", async () => {
    expect(await search(member(hotelId, "viewer"), "panorama")).toEqual(["HWTC00000002"]);
    expect(await search(member(operatorId, "support"), "448812")).toEqual(["ALCL00000009"]);
    expect(await search(member(hotelId, "support"), "305")).toEqual([]);
  });

  it("shows each row's room or subscriber line", async () => {
    const owner = member(hotelId, "owner");
    const page = await findDevices(tenantScope(database.db, owner), owner, DeviceQuery.parse({ search: "103" }));
    const homes = Object.fromEntries(page.rows.map((r) => [r.serialNumber, r.home]));
    expect(homes.HWTC00000001).toMatchObject({ kind: "room", number: "103", siteId: hotelId });
    expect(homes.HWTC7A1B0103).toBeNull();
    const operator = member(operatorId, "viewer");
    const line = await findDevices(tenantScope(database.db, operator), operator, DeviceQuery.parse({}));
    expect(line.rows[0]?.home).toMatchObject({ kind: "line", externalId: "SUB-448812", subscriberName: "M. Martin" });
  });

  it("finds nothing of another tenant: the other hotel sees only its own room 103", async () => {
    const otherSupport = member(otherHotelId, "support");
    expect(await search(otherSupport, "103")).toEqual(["ZTEG00000007"]);
    for (const text of ["7a1b", "7A:1B:2C", "20.30", "panorama", "448812", "HWTC"]) {
      expect(await search(otherSupport, text), text).toEqual([]);
    }
    const operatorSupport = member(operatorId, "support");
    expect(await search(operatorSupport, "103")).toEqual([]);
    await expect(search(otherSupport, "103", hotelId)).rejects.toThrow();
  });

  it("the device page shows the room, its site and the passphrase masked; an operator reveals it, audited", async () => {
    const operator = member(hotelId, "operator");
    const db = tenantScope(database.db, operator);
    const detail = await getDevice(db, operator, ids.HWTC00000001!);
    expect(detail.room).toMatchObject({ id: ids.room103, number: "103", passphrase: MASK, canReveal: true });
    expect(detail.room?.site).toMatchObject({ id: hotelId, name: "Hotel Azur" });
    expect(JSON.stringify(detail)).not.toContain("sea-breeze-4711");
    const revealed = await revealRoomPassphrase(db, operator, { deviceId: ids.HWTC00000001! });
    expect(revealed.passphrase).toBe("sea-breeze-4711");
    const audit = await database.db.auditEvent.findFirst({ where: { action: "room.revealPassphrase" } });
    expect(audit).toMatchObject({ tenantId: hotelId, targetId: ids.room103, deviceId: ids.HWTC00000001 });
    expect(JSON.stringify(audit)).not.toContain("sea-breeze-4711");
  });

  it("a viewer and support see the room with the passphrase masked and cannot reveal it", async () => {
    for (const role of ["viewer", "support"] as const) {
      const access = member(hotelId, role);
      const db = tenantScope(database.db, access);
      const detail = await getDevice(db, access, ids.HWTC00000001!);
      expect(detail.room).toMatchObject({ number: "103", passphrase: MASK, canReveal: false });
      expect(JSON.stringify(detail)).not.toContain("sea-breeze-4711");
      await expect(revealRoomPassphrase(db, access, { deviceId: ids.HWTC00000001! })).rejects.toThrow(/reveal/);
    }
    const stranger = member(otherHotelId, "owner");
    await expect(
      revealRoomPassphrase(tenantScope(database.db, stranger), stranger, { deviceId: ids.HWTC00000001! }),
    ).rejects.toThrow(/not found/i);
  });
});
