import { createTestDatabase, type TestDatabase } from "@beacon/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DeviceQuery } from "../src/devices/device-query.ts";
import { DEVICE_COUNT_AHEAD, deviceFacets, findDevices } from "../src/devices/find-devices.ts";
import type { TenantAccess } from "../src/tenancy/tenant-access.ts";
import { tenantScope } from "../src/tenancy/tenant-scope.ts";
import { createTenant, ensurePlatformTenant } from "../src/tenants/tenants.ts";

// The console's device list (tRPC devices.list, REST GET /devices): a domain's page by tenant ids, the search on
// its trigram and pattern indexes, the order the list-order indexes serve.
describe("findDevices", () => {
  let database: TestDatabase;
  let platformId: string;
  let integratorId: string;
  let hotelId: string;
  let otherId: string;
  const at = (minutesAgo: number) => new Date(Date.parse("2026-12-02T12:00:00Z") - minutesAgo * 60_000);

  beforeAll(async () => {
    database = await createTestDatabase();
    platformId = (await ensurePlatformTenant(database.db)).id;
    integratorId = (await createTenant(database.db, { name: "Integrator", kind: "integrator", parentId: platformId }))
      .id;
    hotelId = (await createTenant(database.db, { name: "Hotel Azur", kind: "hotel", parentId: integratorId })).id;
    otherId = (await createTenant(database.db, { name: "FibreNet", kind: "operator", parentId: platformId })).id;
    const device = (tenantId: string, serialNumber: string, minutesAgo: number | null, extra = {}) => ({
      tenantId,
      oui: "00259E",
      productClass: "EG8145V5",
      serialNumber,
      lastInformAt: minutesAgo === null ? null : at(minutesAgo),
      ...extra,
    });
    await database.db.device.createMany({
      data: [
        device(hotelId, "HWTC0001", 5, { macAddress: "00:25:9E:AA:BB:01", externalIp: "10.1.0.1" }),
        device(hotelId, "HWTC0002", 1, { macAddress: "00:25:9E:AA:BB:02", externalIp: "10.1.0.2" }),
        device(integratorId, "HWTC0003", null),
        device(otherId, "ALCL0004", 2, { macAddress: "F8:AB:05:00:00:04", externalIp: "192.0.2.4" }),
        device(otherId, "alcl0005", 2),
      ],
    });
  });
  afterAll(() => database.drop());

  const owner = (): TenantAccess => ({
    userId: "test",
    actor: { label: "test" },
    memberships: [{ tenantId: platformId, role: "owner" }],
  });
  const list = async (query: Partial<DeviceQuery>, access = owner()) => {
    const page = await findDevices(tenantScope(database.db, access), access, DeviceQuery.parse(query));
    return { serials: page.rows.map((r) => r.serialNumber), total: page.total };
  };

  it("lists newest contact first, never-seen devices last, ties by serial number", async () => {
    expect(await list({})).toEqual({
      serials: ["HWTC0002", "ALCL0004", "alcl0005", "HWTC0001", "HWTC0003"],
      total: 5,
    });
  });

  it("limits a domain's page to the domain and the domains below it", async () => {
    expect(await list({ tenantId: integratorId })).toEqual({ serials: ["HWTC0002", "HWTC0001", "HWTC0003"], total: 3 });
    expect(await list({ tenantId: hotelId })).toEqual({ serials: ["HWTC0002", "HWTC0001"], total: 2 });
    expect((await deviceFacets(tenantScope(database.db, owner()), owner(), { tenantId: otherId })).models).toEqual([
      "EG8145V5",
    ]);
  });

  it("keeps the user's reach whatever domain the query names", async () => {
    const hotelSupport: TenantAccess = { ...owner(), memberships: [{ tenantId: hotelId, role: "support" }] };
    expect(await list({}, hotelSupport)).toEqual({ serials: ["HWTC0002", "HWTC0001"], total: 2 });
    await expect(list({ tenantId: otherId }, hotelSupport)).rejects.toThrow();
  });

  it("searches a serial prefix in any case, a MAC address fragment and an IP address prefix", async () => {
    expect((await list({ search: "alcl" })).serials).toEqual(["ALCL0004", "alcl0005"]);
    expect((await list({ search: "hwtc000" })).total).toBe(3);
    expect((await list({ search: "aa:bb:01" })).serials).toEqual(["HWTC0001"]);
    expect((await list({ search: "f8ab05" })).serials).toEqual(["ALCL0004"]);
    expect((await list({ search: "10.1.0." })).serials).toEqual(["HWTC0002", "HWTC0001"]);
    expect((await list({ search: "0004", tenantId: hotelId })).total).toBe(0);
  });

  it("stops counting past the page unless asked for an exact total, and says so; a search is counted whole", async () => {
    const bulk = DEVICE_COUNT_AHEAD + 100;
    await database.db.$executeRaw`
      INSERT INTO "Device" ("id", "tenantId", "oui", "productClass", "serialNumber", "updatedAt")
      SELECT gen_random_uuid(), ${otherId}::uuid, 'ABCDEF', 'Bulk', 'BULK' || lpad(i::text, 6, '0'), now()
      FROM generate_series(1, ${bulk}::int) AS i`;
    const many = await database.db.device.count({ where: { tenantId: otherId } });
    const access = owner();
    const query = DeviceQuery.parse({ tenantId: otherId, pageSize: 25 });
    const capped = await findDevices(tenantScope(database.db, access), access, query);
    expect([capped.rows.length, capped.total, capped.totalExact]).toEqual([25, 25 + DEVICE_COUNT_AHEAD, false]);
    const exact = await findDevices(tenantScope(database.db, access), access, query, { exactTotal: true });
    expect([exact.total, exact.totalExact]).toEqual([many, true]);
    const last = await findDevices(tenantScope(database.db, access), access, { ...query, page: 400 });
    expect([last.total, last.totalExact]).toEqual([many, true]);
    // A search's matches come from the trigram indexes: counting them all is cheaper than stopping early.
    const searched = await findDevices(
      tenantScope(database.db, access),
      access,
      DeviceQuery.parse({ search: "BULK", pageSize: 25 }),
    );
    expect([searched.rows.length, searched.total, searched.totalExact]).toEqual([25, bulk, true]);
  });
});
