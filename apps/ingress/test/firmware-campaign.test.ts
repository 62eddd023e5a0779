import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import {
  campaignProgress,
  connectionRequestTargets,
  createCampaign,
  ensurePlatformTenant,
  runCampaignScheduler,
  type SchedulerHandle,
  uploadFirmware,
} from "@beacon/domain";
import {
  type ConnectionRequestListener,
  createFleet,
  type Fleet,
  type FleetMisbehaviour,
  startConnectionRequestListener,
} from "@beacon/sim";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type IngressFixture, ingressFixture, type RunningIngress } from "./helpers/ingress.ts";
import { BOOTSTRAP, eventually, IGD } from "./helpers/sim-device.ts";

const actor = { label: "ops@isp.example" };
const VERSION = `${IGD}.DeviceInfo.SoftwareVersion`;

/**
 * Firmware campaigns end to end: the image in Beacon's library, the campaign scheduler starting each wave and
 * waking its devices by connection request, simulated ONUs fetching the image from Beacon's file server over
 * HTTP, rebooting and informing with the version they now run.
 */
describe("firmware campaigns with a simulated fleet, over real HTTP", () => {
  let fixture: IngressFixture;
  let ingress: RunningIngress;
  let listener: ConnectionRequestListener;
  let scheduler: SchedulerHandle;
  let dataDir: string;
  let platformId: string;
  const fleets: Fleet[] = [];
  const errors: unknown[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "beacon-campaign-"));
    fixture = await ingressFixture();
    ingress = await fixture.start({
      bootstrapUsername: BOOTSTRAP.username,
      bootstrapPassword: BOOTSTRAP.password,
      dataDir,
    });
    listener = await startConnectionRequestListener({ udpPort: false });
    platformId = (await ensurePlatformTenant(fixture.db)).id;
    scheduler = runCampaignScheduler(fixture.db, {
      intervalMs: 100,
      // The simulated devices listen on loopback, which connection requests refuse unless told otherwise.
      connectionRequests: { targets: connectionRequestTargets({ allow: ["loopback"] }) },
      onError: (error) => errors.push(error),
    });
  });
  afterEach(async () => {
    await Promise.all(fleets.splice(0).map((f) => f.close()));
    expect(errors).toEqual([]);
  });
  afterAll(async () => {
    await scheduler?.stop();
    await listener?.close();
    await fixture?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** ONUs of one product class that bootstrapped with Beacon, then run on their own, listening for connection requests. */
  async function enrolledFleet(size: number, productClass: string, misbehaviour?: FleetMisbehaviour): Promise<Fleet> {
    const fleet = await createFleet({
      acsUrl: `${ingress.url}/`,
      size,
      model: "beacon-onu-tr098",
      serialPrefix: productClass.replace(/\W/g, ""),
      username: BOOTSTRAP.username,
      password: BOOTSTRAP.password,
      // A day, scaled to 86 s: only the campaign's connection requests and the reboots bring sessions.
      periodicInformInterval: 86_400,
      timing: { timeScale: 0.001, requestTimeoutMs: 20_000 },
      connectionRequests: listener,
      device: { cwmpNamespace: "1.2", productClass },
      ...(misbehaviour ? { misbehaviour } : {}),
    });
    fleets.push(fleet);
    for (let i = 0; i < size; i += 25) {
      const sessions = await Promise.all(fleet.devices.slice(i, i + 25).map((d) => d.inform()));
      for (const s of sessions) expect(s.outcome, s.error).toBe("completed");
    }
    for (const device of fleet.devices) device.start({ boot: false });
    return fleet;
  }

  async function firmware(productClass: string, version: string): Promise<string> {
    const file = await uploadFirmware(
      fixture.db,
      dataDir,
      {
        tenantId: platformId,
        name: `${version}.bin`,
        content: Readable.from([randomBytes(256 * 1024)]),
        vendor: "Beacon Sim",
        productClasses: [productClass],
        version,
      },
      actor,
    );
    return file.id;
  }

  const stateOf = async (id: string) => (await fixture.db.firmwareCampaign.findUniqueOrThrow({ where: { id } })).state;

  it("upgrades 200 devices in three waves, each wave starting after the one before it settled", async () => {
    const fleet = await enrolledFleet(200, "SimONU-98");
    const fileId = await firmware("SimONU-98", "V2.0.0");
    const { campaign, waveSizes } = await createCampaign(
      fixture.db,
      { tenantId: platformId, name: "SimONU-98 to V2.0.0", fileId, productClass: "SimONU-98", waves: [1, 10, 100] },
      actor,
    );
    expect(waveSizes).toEqual([2, 18, 180]);

    await eventually("the campaign to complete", async () => (await stateOf(campaign.id)) === "completed", 50_000);

    const progress = await campaignProgress(fixture.db, campaign.id);
    expect(progress.total).toMatchObject({ devices: 200, installed: 200, failed: 0, notReturned: 0, pending: 0 });
    expect(progress.waves.map((w) => [w.percent, w.devices, w.installed])).toEqual([
      [1, 2, 2],
      [10, 18, 18],
      [100, 180, 180],
    ]);
    for (const device of fleet.devices) expect(device.get(VERSION), device.serialNumber).toBe("V2.0.0");
    expect(await fixture.db.device.count({ where: { productClass: "SimONU-98", softwareVersion: "V2.0.0" } })).toBe(
      200,
    );
    // Each device fetched the image from Beacon's file server and said so after its reboot.
    const tasks = await fixture.db.task.findMany({ where: { kind: "download", state: "done" } });
    expect(tasks).toHaveLength(200);
    expect(new Set(tasks.map((t) => t.deviceId)).size).toBe(200);
    expect(tasks.every((t) => t.wakeOutcome === "woken")).toBe(true);

    const rows = await fixture.db.firmwareCampaignDevice.findMany({ where: { campaignId: campaign.id } });
    const span = (wave: number) => {
      const inWave = rows.filter((r) => r.wave === wave);
      return {
        firstStart: Math.min(...inWave.map((r) => r.startedAt!.getTime())),
        lastFinish: Math.max(...inWave.map((r) => r.finishedAt!.getTime())),
      };
    };
    expect(span(1).firstStart).toBeGreaterThanOrEqual(span(0).lastFinish);
    expect(span(2).firstStart).toBeGreaterThanOrEqual(span(1).lastFinish);
    expect(
      await fixture.db.domainEvent.count({ where: { subjectId: campaign.id, type: "firmware.campaign.completed" } }),
    ).toBe(1);
  }, 60_000);

  it("pauses itself when 30% of the devices fail the upgrade, and starts no more of them", async () => {
    const fleet = await enrolledFleet(50, "SimONU-98F", {
      firmwareFailing: 0.3,
      firmwareFailure: { kind: "fault", faultCode: 9010 },
    });
    const fileId = await firmware("SimONU-98F", "V3.0.0");
    const { campaign } = await createCampaign(
      fixture.db,
      {
        tenantId: platformId,
        name: "SimONU-98F to V3.0.0",
        fileId,
        productClass: "SimONU-98F",
        waves: [10, 50, 100],
        failureThreshold: 0.1,
      },
      actor,
    );

    await eventually("the campaign to pause", async () => (await stateOf(campaign.id)) === "paused", 30_000);
    // Downloads under way when it paused are still followed to their end.
    await eventually(
      "the started devices to settle",
      async () =>
        (await fixture.db.firmwareCampaignDevice.count({
          where: { campaignId: campaign.id, state: { in: ["downloading", "installing"] } },
        })) === 0,
      20_000,
    );
    const paused = await fixture.db.firmwareCampaign.findUniqueOrThrow({ where: { id: campaign.id } });
    expect(paused.pausedReason).toMatch(/^wave \d: \d+ of \d+ devices failed \(\d+%\), above the 10% threshold$/);
    const event = await fixture.db.domainEvent.findFirstOrThrow({
      where: { subjectId: campaign.id, type: "firmware.campaign.paused" },
    });
    expect(event.payload).toMatchObject({ reason: paused.pausedReason });

    const rows = await fixture.db.firmwareCampaignDevice.findMany({
      where: { campaignId: campaign.id },
      include: { device: { select: { serialNumber: true } } },
    });
    const failed = rows.filter((r) => r.state === "failed");
    expect(failed.length).toBeGreaterThan(0);
    for (const row of failed) {
      expect(row.reason).toMatch(/^download failed: .*\(fault 9010\)$/);
      expect(fleet.device(row.device.serialNumber)?.get(VERSION)).toBe("V1.0.0");
    }
    for (const row of rows.filter((r) => r.state === "installed")) {
      expect(fleet.device(row.device.serialNumber)?.get(VERSION)).toBe("V3.0.0");
    }
    // Nothing beyond the wave that failed was started, and a paused campaign starts nobody.
    expect(rows.filter((r) => r.wave > paused.currentWave).every((r) => r.state === "pending")).toBe(true);
    const pending = rows.filter((r) => r.state === "pending").length;
    expect(pending).toBeGreaterThan(0);
    await scheduler.tick();
    await scheduler.tick();
    expect(
      await fixture.db.firmwareCampaignDevice.count({ where: { campaignId: campaign.id, state: "pending" } }),
    ).toBe(pending);
    expect(await stateOf(campaign.id)).toBe("paused");
  }, 60_000);

  it("fails a device that reboots back into its old image, at the Inform that reports it, without waiting for the return timeout", async () => {
    const fleet = await enrolledFleet(4, "SimONU-98R", { firmwareFailing: 1, firmwareFailure: { kind: "rollback" } });
    const fileId = await firmware("SimONU-98R", "V4.0.0");
    const { campaign } = await createCampaign(
      fixture.db,
      {
        tenantId: platformId,
        name: "SimONU-98R to V4.0.0",
        fileId,
        productClass: "SimONU-98R",
        waves: [100],
        failureThreshold: 1,
      },
      actor,
    );
    await eventually("the campaign to complete", async () => (await stateOf(campaign.id)) === "completed", 20_000);
    const rows = await fixture.db.firmwareCampaignDevice.findMany({ where: { campaignId: campaign.id } });
    expect(rows.map((r) => [r.state, r.reason])).toEqual(
      rows.map(() => ["failed", "came back with version V1.0.0 instead of V4.0.0"]),
    );
    for (const device of fleet.devices) expect(device.get(VERSION)).toBe("V1.0.0");
  }, 30_000);
});
