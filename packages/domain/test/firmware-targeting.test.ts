import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { createTestDatabase, type TestDatabase } from "@beacon/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setDeviceTags } from "../src/devices/device-tags.ts";
import { advanceCampaign } from "../src/firmware/advance-campaign.ts";
import { createCampaign, HOTEL_MAINTENANCE_WINDOW, previewCampaign } from "../src/firmware/campaigns.ts";
import { uploadFirmware } from "../src/firmware/firmware-library.ts";
import { createTenant, ensurePlatformTenant } from "../src/tenants/tenants.ts";

const actor = { label: "ops@chain.example" };

/**
 * Who a campaign reaches: chosen sites, models and tags, never a device of another customer; and when: hotels at
 * night in their own time zone unless the campaign says otherwise.
 */
describe("firmware campaign targeting", () => {
  let database: TestDatabase;
  let dataDir: string;
  const ids = {} as Record<"chain" | "paris" | "lyon" | "montreal" | "rival" | "file" | "rivalFile", string>;

  beforeAll(async () => {
    database = await createTestDatabase();
    const db = database.db;
    dataDir = mkdtempSync(join(tmpdir(), "beacon-targeting-"));
    const platform = await ensurePlatformTenant(db);
    const chain = await createTenant(db, { name: "Chain", kind: "integrator", parentId: platform.id });
    ids.chain = chain.id;
    const hotel = (name: string, timeZone: string, parentId = chain.id) =>
      createTenant(db, { name, kind: "hotel", parentId, timeZone }).then((t) => t.id);
    ids.paris = await hotel("Hotel Paris", "Europe/Paris");
    ids.lyon = await hotel("Hotel Lyon", "Europe/Paris");
    ids.montreal = await hotel("Hotel Montreal", "America/Toronto");
    ids.rival = await hotel("Rival Hotel", "Europe/Paris", platform.id);
    const upload = async (tenantId: string) =>
      (
        await uploadFirmware(
          db,
          dataDir,
          {
            tenantId,
            name: `ONT-V2-${tenantId.slice(0, 4)}.bin`,
            content: Readable.from([Buffer.from("image")]),
            vendor: "Beacon",
            productClasses: ["ONT-A", "ONT-B", "ONT-C"],
            version: "V2",
          },
          actor,
        )
      ).id;
    ids.file = await upload(chain.id);
    ids.rivalFile = await upload(ids.rival);
    let n = 0;
    const add = (tenantId: string, productClass: string, count: number) =>
      db.device.createMany({
        data: Array.from({ length: count }, () => ({
          tenantId,
          oui: "00BEAC",
          productClass,
          serialNumber: `T${String(n++).padStart(5, "0")}`,
          manufacturer: "Beacon",
          softwareVersion: "V1",
          dataModelRoot: "InternetGatewayDevice",
          lastInformAt: new Date(),
        })),
      });
    await add(ids.paris, "ONT-A", 6);
    await add(ids.paris, "ONT-B", 2);
    await add(ids.paris, "ONT-C", 3);
    await add(ids.lyon, "ONT-A", 4);
    await add(ids.montreal, "ONT-A", 5);
    await add(ids.rival, "ONT-A", 7);
  });
  afterAll(async () => {
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const targeted = async (campaignId: string) =>
    (
      await database.db.firmwareCampaignDevice.findMany({
        where: { campaignId },
        select: { device: { select: { tenantId: true, productClass: true, tags: true } } },
      })
    ).map((r) => r.device);

  it("targets the chosen sites and models only, with the devices per site and model in the preview", async () => {
    const input = {
      tenantId: ids.chain,
      name: "Paris and Lyon, A and B",
      fileId: ids.file,
      productClasses: ["ONT-A", "ONT-B"],
      siteIds: [ids.paris, ids.lyon],
    };
    const preview = await previewCampaign(database.db, input);
    expect(preview.devices).toBe(12);
    expect(preview.sites.map((s) => [s.name, s.devices])).toEqual([
      ["Hotel Lyon", 4],
      ["Hotel Paris", 8],
    ]);
    expect(preview.models).toEqual([
      { productClass: "ONT-A", devices: 10 },
      { productClass: "ONT-B", devices: 2 },
    ]);
    const { campaign, devices } = await createCampaign(database.db, { ...input, confirmedDevices: 12 }, actor);
    expect(devices).toBe(12);
    const reached = await targeted(campaign.id);
    expect(new Set(reached.map((d) => d.tenantId))).toEqual(new Set([ids.paris, ids.lyon]));
    expect(reached.every((d) => d.productClass !== "ONT-C")).toBe(true);
  });

  it("targets devices carrying one of the tags, tagged through setDeviceTags", async () => {
    const [a, b] = await database.db.device.findMany({
      where: { tenantId: ids.paris, productClass: "ONT-C" },
      take: 2,
      orderBy: { serialNumber: "asc" },
    });
    expect(await setDeviceTags(database.db, a!.id, [" pilot ", "floor-3", "pilot"], actor)).toEqual([
      "floor-3",
      "pilot",
    ]);
    await setDeviceTags(database.db, b!.id, ["lobby"], actor);
    await expect(setDeviceTags(database.db, b!.id, ["-bad"], actor)).rejects.toThrow(/starting with a letter/);
    const { campaign, devices } = await createCampaign(
      database.db,
      { tenantId: ids.chain, name: "Pilot", fileId: ids.file, productClass: "ONT-C", tags: ["pilot", "lobby"] },
      actor,
    );
    expect(devices).toBe(2);
    expect((await targeted(campaign.id)).map((d) => d.tags.join(",")).sort()).toEqual(["floor-3,pilot", "lobby"]);
    const audit = await database.db.auditEvent.findFirst({ where: { action: "device.tags", targetId: a!.id } });
    expect(audit?.after).toEqual({ tags: ["floor-3", "pilot"] });
  });

  it("never reaches another customer's hotel: as the rival, the chain's sites are not found, and its devices untouched", async () => {
    // The rival names the chain's hotel as a site of its own campaign.
    await expect(
      previewCampaign(database.db, {
        tenantId: ids.rival,
        name: "Grab",
        fileId: ids.rivalFile,
        productClass: "ONT-A",
        siteIds: [ids.paris],
      }),
    ).rejects.toThrow(/site/);
    await expect(
      createCampaign(
        database.db,
        { tenantId: ids.rival, name: "Grab", fileId: ids.rivalFile, productClass: "ONT-A", domainId: ids.chain },
        actor,
      ),
    ).rejects.toThrow(/target domain/);
    // Its own campaign for the same model reaches only its own seven devices.
    const { campaign, devices } = await createCampaign(
      database.db,
      { tenantId: ids.rival, name: "Rival A", fileId: ids.rivalFile, productClass: "ONT-A", confirmedDevices: 7 },
      actor,
    );
    expect(devices).toBe(7);
    expect(new Set((await targeted(campaign.id)).map((d) => d.tenantId))).toEqual(new Set([ids.rival]));
    // And the chain's one hotel campaign only its hotel's.
    const paris = await createCampaign(
      database.db,
      { tenantId: ids.paris, name: "Paris only", fileId: ids.file, productClass: "ONT-A" },
      actor,
    ).catch((e: Error) => e);
    // The chain's image is the chain's: a hotel below sees it through its parent.
    expect(paris).not.toBeInstanceOf(Error);
    if (!(paris instanceof Error)) {
      expect(new Set((await targeted(paris.campaign.id)).map((d) => d.tenantId))).toEqual(new Set([ids.paris]));
    }
  });

  it("refuses a start whose confirmed count no longer matches", async () => {
    await expect(
      createCampaign(
        database.db,
        { tenantId: ids.chain, name: "Stale", fileId: ids.file, productClass: "ONT-A", confirmedDevices: 3 },
        actor,
      ),
    ).rejects.toThrow(/not the 3 confirmed/);
    expect(await database.db.firmwareCampaign.count({ where: { name: "Stale" } })).toBe(0);
  });

  it("gives hotels a 02:00-05:00 window in each hotel's own time zone and a small first wave", async () => {
    const { campaign, waveSizes } = await createCampaign(
      database.db,
      {
        tenantId: ids.chain,
        name: "Night",
        fileId: ids.file,
        productClass: "ONT-A",
        siteIds: [ids.paris, ids.montreal],
        waves: [10, 100],
        maxConcurrent: 100,
        // Paris's downloads are still under way when Montreal's night comes.
        downloadTimeoutMinutes: 1440,
      },
      actor,
    );
    expect(campaign.windows).toEqual([HOTEL_MAINTENANCE_WINDOW]);
    expect(waveSizes).toEqual([2, 9]);
    // 02:30 in Paris (01:30 UTC) is 20:30 in Montreal: only Paris devices may start.
    await database.db.firmwareCampaignDevice.updateMany({ where: { campaignId: campaign.id }, data: { wave: 0 } });
    const parisNight = await advanceCampaign(database.db, campaign.id, new Date("2026-12-05T01:30:00Z"));
    const started = await database.db.device.findMany({
      where: { id: { in: parisNight.started.map((s) => s.deviceId) } },
      select: { tenantId: true },
    });
    expect(started.length).toBe(6);
    expect(new Set(started.map((d) => d.tenantId))).toEqual(new Set([ids.paris]));
    // 03:00 in Montreal (08:00 UTC): Montreal's turn, Paris is in the morning.
    const montrealNight = await advanceCampaign(database.db, campaign.id, new Date("2026-12-05T08:00:00Z"));
    const later = await database.db.device.findMany({
      where: { id: { in: montrealNight.started.map((s) => s.deviceId) } },
      select: { tenantId: true },
    });
    expect(later.length).toBe(5);
    expect(new Set(later.map((d) => d.tenantId))).toEqual(new Set([ids.montreal]));
    // A campaign that names its windows keeps them; [] means any time.
    const anyTime = await createCampaign(
      database.db,
      { tenantId: ids.chain, name: "Now", fileId: ids.file, productClass: "ONT-B", windows: [] },
      actor,
    );
    expect(anyTime.campaign.windows).toEqual([]);
  });
});
