import { createTestDatabase, type TestDatabase } from "@beacon/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { monitoringOverview, saveMonitoringProfile } from "../src/monitoring/collection-profiles.ts";
import { opticalDistributionBySite } from "../src/monitoring/optical-distribution.ts";
import { createTenant, ensurePlatformTenant } from "../src/tenants/tenants.ts";

describe("optical spread per site and monitoring profiles per model", () => {
  let database: TestDatabase;
  let chain: string;
  let paris: string;
  let lyon: string;
  const now = new Date("2026-12-04T20:00:00Z");

  beforeAll(async () => {
    database = await createTestDatabase();
    const db = database.db;
    const platform = await ensurePlatformTenant(db);
    chain = (await createTenant(db, { name: "Chain", kind: "integrator", parentId: platform.id })).id;
    paris = (await createTenant(db, { name: "Paris", kind: "hotel", parentId: chain })).id;
    lyon = (await createTenant(db, { name: "Lyon", kind: "hotel", parentId: chain })).id;
    const floor = (await createTenant(db, { name: "Paris floor 2", kind: "site", parentId: paris })).id;
    let n = 0;
    const ont = async (tenantId: string, value: number | null, at = now, productClass = "ONT-A") => {
      const device = await db.device.create({
        data: { tenantId, oui: "00BEAC", productClass, serialNumber: `S${n++}`, manufacturer: "Beacon" },
      });
      await db.deviceMetric.create({ data: { deviceId: device.id, metric: "optical.rxPower", value, at } });
    };
    await ont(paris, -19.5);
    await ont(floor, -28.2);
    await ont(floor, null);
    await ont(lyon, -21);
    await ont(lyon, -22, new Date(now.getTime() - 3 * 86_400_000), "ONT-B");
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("counts each site's ONTs by class, devices of sub-sites with their site, the worst site first", async () => {
    const { sites } = await opticalDistributionBySite(database.db, chain, { now });
    expect(
      sites.map((s) => [s.name, s.devices, s.classes.critical, s.classes.noSignal, s.classes.stale, s.median]),
    ).toEqual([
      ["Paris", 3, 1, 1, 0, -23.85],
      ["Lyon", 2, 0, 0, 1, -21],
    ]);
    // As the hotel itself: its own devices and its floor.
    const own = await opticalDistributionBySite(database.db, paris, { now });
    expect(own.sites.map((s) => [s.name, s.devices])).toEqual([
      ["Paris floor 2", 2],
      ["Paris", 1],
    ]);
  });

  it("says which profile decides for each model: the default, a domain's own, or none when disabled", async () => {
    let overview = await monitoringOverview(database.db, chain);
    expect(overview.models.map((m) => [m.productClass, m.devices, m.profile?.builtIn])).toEqual([
      ["ONT-A", 4, true],
      ["ONT-B", 1, true],
    ]);
    await saveMonitoringProfile(
      database.db,
      {
        tenantId: chain,
        name: "Optics hourly",
        productClass: "ONT-B",
        metrics: ["optical.rxPower"],
        intervalSeconds: 3600,
      },
      { label: "noc" },
    );
    await saveMonitoringProfile(
      database.db,
      { tenantId: lyon, name: "Quiet", metrics: ["wifi.clients"], enabled: false },
      { label: "noc" },
    );
    overview = await monitoringOverview(database.db, chain);
    expect(overview.models.find((m) => m.productClass === "ONT-B")?.profile).toMatchObject({
      name: "Optics hourly",
      metrics: ["optical.rxPower"],
      intervalSeconds: 3600,
      builtIn: false,
    });
    // Lyon turned collection off below the chain's profile.
    const lyonView = await monitoringOverview(database.db, lyon);
    expect(lyonView.models.every((m) => m.profile === null)).toBe(true);
    expect(lyonView.profiles.map((p) => [p.name, p.inherited])).toEqual([
      ["Quiet", false],
      ["Optics hourly", true],
    ]);
  });
});
