import { createTestDatabase, type TestDatabase } from "@beacon/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dashboardSummary } from "../src/dashboard/dashboard-summary.ts";
import type { TenantAccess } from "../src/tenancy/tenant-access.ts";
import { tenantScope } from "../src/tenancy/tenant-scope.ts";
import { createTenant, ensurePlatformTenant } from "../src/tenants/tenants.ts";

describe("dashboardSummary", () => {
  let database: TestDatabase;
  let hotelId: string;
  let access: TenantAccess;
  const at = (minutesAgo: number) => new Date(Date.parse("2026-12-04T12:00:00Z") - minutesAgo * 60_000);

  beforeAll(async () => {
    database = await createTestDatabase();
    const platformId = (await ensurePlatformTenant(database.db)).id;
    hotelId = (await createTenant(database.db, { name: "Hotel Azur", kind: "hotel", parentId: platformId })).id;
    access = { userId: "test", actor: { label: "test" }, memberships: [{ tenantId: hotelId, role: "viewer" }] };
    const [first, second] = await database.db.device.createManyAndReturn({
      data: ["HWTC0001", "HWTC0002"].map((serialNumber) => ({ tenantId: hotelId, oui: "00259E", serialNumber })),
    });
    // A new CPE's first Inform carries two events; a later periodic Inform one.
    await database.db.deviceEvent.createMany({
      data: [
        { deviceId: first!.id, code: "0 BOOTSTRAP", at: at(10) },
        { deviceId: first!.id, code: "1 BOOT", at: at(10) },
        { deviceId: second!.id, code: "1 BOOT", at: at(5) },
        { deviceId: first!.id, code: "2 PERIODIC", at: at(1) },
      ],
    });
  });
  afterAll(() => database.drop());

  it("lists each Inform once among the latest contacts, with every event code it carried", async () => {
    const summary = await dashboardSummary(tenantScope(database.db, access), access, { tenantId: hotelId });
    expect(summary.recentContacts.map((c) => ({ serial: c.device.serialNumber, codes: c.codes, at: c.at }))).toEqual([
      { serial: "HWTC0001", codes: ["2 PERIODIC"], at: at(1) },
      { serial: "HWTC0002", codes: ["1 BOOT"], at: at(5) },
      { serial: "HWTC0001", codes: expect.arrayContaining(["0 BOOTSTRAP", "1 BOOT"]), at: at(10) },
    ]);
    expect(new Set(summary.recentContacts.map((c) => c.key)).size).toBe(3);
  });
});
