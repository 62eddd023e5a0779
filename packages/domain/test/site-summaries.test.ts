import { createTestDatabase, type TestDatabase } from "@beacon/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { siteSummaries } from "../src/sites/site-summaries.ts";
import type { TenantAccess } from "../src/tenancy/tenant-access.ts";
import { tenantScope } from "../src/tenancy/tenant-scope.ts";
import { createTenant, ensurePlatformTenant } from "../src/tenants/tenants.ts";

// The integrator's dashboard and sites page (issue #17): each customer site with its own counts, and only the
// sites the reader may reach.
describe("siteSummaries", () => {
  let database: TestDatabase;
  let integratorId: string;
  let azurId: string;
  let nordId: string;
  let rivalId: string;
  const now = new Date("2026-12-04T12:00:00Z");
  const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);

  beforeAll(async () => {
    database = await createTestDatabase();
    const platformId = (await ensurePlatformTenant(database.db)).id;
    integratorId = (await createTenant(database.db, { name: "Integrator", kind: "integrator", parentId: platformId }))
      .id;
    azurId = (await createTenant(database.db, { name: "Hotel Azur", kind: "hotel", parentId: integratorId })).id;
    nordId = (await createTenant(database.db, { name: "Hotel Nord", kind: "hotel", parentId: integratorId })).id;
    const rivalIntegrator = (
      await createTenant(database.db, { name: "Rival Integrator", kind: "integrator", parentId: platformId })
    ).id;
    rivalId = (await createTenant(database.db, { name: "Hotel Rival", kind: "hotel", parentId: rivalIntegrator })).id;
    let n = 0;
    const device = async (tenantId: string, lastInformAt: Date | null) =>
      (
        await database.db.device.create({
          data: {
            tenantId,
            oui: "00259E",
            serialNumber: `HWTC${String(++n).padStart(8, "0")}`,
            lastInformAt,
            periodicInformInterval: 300,
          },
        })
      ).id;
    // Azur: 2 online, 1 offline, 1 never seen; one active alarm, one cleared; one pending checkout, one done.
    const a1 = await device(azurId, minutesAgo(1));
    await device(azurId, minutesAgo(2));
    await device(azurId, minutesAgo(60));
    await device(azurId, null);
    // Nord: 1 offline.
    await device(nordId, minutesAgo(600));
    // The rival's device must count nowhere in the integrator's view.
    const r1 = await device(rivalId, minutesAgo(1));
    const alarm = (tenantId: string, deviceId: string, state: "active" | "cleared", type: string) =>
      database.db.alarm.create({
        data: {
          tenantId,
          deviceId,
          type,
          severity: "major",
          state,
          message: type,
          raisedAt: now,
          changedAt: now,
          activeKey: state === "active" ? `${deviceId}/${type}` : null,
        },
      });
    await alarm(azurId, a1, "active", "optical.rx");
    await alarm(azurId, a1, "cleared", "offline");
    await alarm(rivalId, r1, "active", "optical.rx");
    const room = await database.db.room.create({ data: { tenantId: azurId, number: "101" } });
    const rivalRoom = await database.db.room.create({ data: { tenantId: rivalId, number: "101" } });
    const checkout = (tenantId: string, roomId: string, state: "pending" | "done") =>
      database.db.checkout.create({ data: { tenantId, roomId, state, passphrase: "x", requestedBy: "test" } });
    await checkout(azurId, room.id, "pending");
    await checkout(azurId, room.id, "done");
    await checkout(rivalId, rivalRoom.id, "pending");
  });
  afterAll(() => database.drop());

  const member = (tenantId: string, role: "owner" | "viewer"): TenantAccess => ({
    userId: `${role}-${tenantId}`,
    actor: { label: role },
    memberships: [{ tenantId, role }],
  });
  const summaries = (access: TenantAccess, tenantId: string) =>
    siteSummaries(tenantScope(database.db, access), access, { tenantId }, now);

  it("gives each of the integrator's customer sites its own counts", async () => {
    const rows = await summaries(member(integratorId, "viewer"), integratorId);
    expect(rows.map((r) => [r.site.name, r.devices, r.activeAlarms, r.pendingCheckouts])).toEqual([
      ["Hotel Azur", { total: 4, online: 2, offline: 1, never: 1 }, 1, 1],
      ["Hotel Nord", { total: 1, online: 0, offline: 1, never: 0 }, 0, 0],
    ]);
    expect(rows[0]?.site.path).toEqual(["Integrator", "Hotel Azur"]);
  });

  it("never lists or counts another integrator's customers", async () => {
    const rows = await summaries(member(integratorId, "owner"), integratorId);
    expect(rows.map((r) => r.site.id)).not.toContain(rivalId);
    await expect(summaries(member(integratorId, "owner"), rivalId)).rejects.toThrow(/not found/i);
  });

  it("a customer sees only itself: no site below it, and its integrator's domain is out of reach", async () => {
    expect(await summaries(member(azurId, "owner"), azurId)).toEqual([]);
    await expect(summaries(member(azurId, "owner"), integratorId)).rejects.toThrow(/not found/i);
    await expect(summaries(member(azurId, "owner"), nordId)).rejects.toThrow(/not found/i);
  });
});
