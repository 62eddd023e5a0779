import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { createTestDatabase, type TestDatabase } from "@beacon/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answerCpeRequest } from "../src/cwmp/cpe-requests.ts";
import { commandKeyOf } from "../src/cwmp/task-rpc.ts";
import { advanceCampaign } from "../src/firmware/advance-campaign.ts";
import { campaignProgress } from "../src/firmware/campaign-progress.ts";
import { runCampaignScheduler } from "../src/firmware/campaign-scheduler.ts";
import { cancelCampaign, createCampaign, pauseCampaign, resumeCampaign, waveSizes } from "../src/firmware/campaigns.ts";
import { listFirmware, uploadFirmware } from "../src/firmware/firmware-library.ts";
import { withinMaintenanceWindow } from "../src/firmware/maintenance-windows.ts";
import { claimNextTask } from "../src/tasks/task-queue.ts";
import { createTenant, ensurePlatformTenant } from "../src/tenants/tenants.ts";

const actor = { label: "ops@example.net" };
const minutes = (n: number) => n * 60_000;

describe("firmware campaigns", () => {
  let database: TestDatabase;
  let dataDir: string;
  let tenantId: string;
  let platformId: string;
  let fileId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), "beacon-firmware-"));
    const platform = await ensurePlatformTenant(database.db);
    platformId = platform.id;
    const isp = await createTenant(database.db, {
      name: "Fibre ISP",
      kind: "operator",
      parentId: platform.id,
      timeZone: "Europe/Paris",
    });
    tenantId = isp.id;
    // Stored in the platform's library: the operator below inherits it.
    const file = await uploadFirmware(
      database.db,
      dataDir,
      {
        tenantId: platform.id,
        name: "HG8245-V2.bin",
        content: Readable.from([Buffer.from("firmware image V2")]),
        vendor: "Huawei",
        productClasses: ["HG8245"],
        version: "V2",
      },
      actor,
    );
    fileId = file.id;
  });
  afterAll(async () => {
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function addDevices(count: number, prefix: string, at: Date): Promise<string[]> {
    const rows = Array.from({ length: count }, (_, i) => ({
      tenantId,
      oui: "00259E",
      productClass: "HG8245",
      serialNumber: `${prefix}${String(i).padStart(4, "0")}`,
      manufacturer: "Huawei Technologies Co., Ltd",
      softwareVersion: "V1",
      dataModelRoot: "InternetGatewayDevice",
      lastInformAt: at,
      periodicInformInterval: 3600,
    }));
    await database.db.device.createMany({ data: rows });
    const devices = await database.db.device.findMany({
      where: { serialNumber: { startsWith: prefix } },
      select: { id: true },
    });
    return devices.map((d) => d.id);
  }

  /**
   * What a CPE does with a download in its sessions: the session takes the task, the CPE installs, reboots and
   * informs (with the new version when the install worked), then reports TransferComplete.
   */
  async function runDownload(
    deviceId: string,
    taskId: string,
    at: Date,
    outcome: "ok" | "fault" | "oldVersion" | "silent",
  ) {
    const db = database.db;
    const claimed = await claimNextTask(db, deviceId, at);
    expect(claimed?.id).toBe(taskId);
    if (outcome === "silent") {
      await answerCpeRequest(db, deviceId, transferComplete(taskId, 0), new Date(at.getTime() + 30_000));
      return;
    }
    const informAt = new Date(at.getTime() + 60_000);
    if (outcome !== "fault") {
      await db.device.update({
        where: { id: deviceId },
        data: { softwareVersion: outcome === "ok" ? "V2" : "V1", lastInformAt: informAt, lastBootAt: informAt },
      });
      await db.deviceEvent.createMany({
        data: ["1 BOOT", "7 TRANSFER COMPLETE", "M Download"].map((code) => ({ deviceId, code, at: informAt })),
      });
    }
    await answerCpeRequest(
      db,
      deviceId,
      transferComplete(taskId, outcome === "fault" ? 9010 : 0),
      new Date(informAt.getTime() + 1000),
    );
    if (outcome === "oldVersion") {
      // Its next periodic Inform, still on the old version.
      await db.device.update({
        where: { id: deviceId },
        data: { lastInformAt: new Date(informAt.getTime() + minutes(2)) },
      });
    }
  }

  function transferComplete(taskId: string, faultCode: number) {
    return {
      type: "TransferComplete" as const,
      commandKey: commandKeyOf(taskId),
      faultStruct: { faultCode, faultString: faultCode ? "Download failure" : "" },
      startTime: "2026-11-24T10:00:00Z",
      completeTime: "2026-11-24T10:01:00Z",
    };
  }

  it("splits devices into waves by cumulative percentage", () => {
    expect(waveSizes(200, [1, 10, 100])).toEqual([2, 18, 180]);
    expect(waveSizes(5, [1, 10, 100])).toEqual([1, 0, 4]);
    expect(waveSizes(100, [10, 50, 100])).toEqual([10, 40, 50]);
  });

  it("lists firmware of the domain and the domains above it", async () => {
    const firmware = await listFirmware(database.db, tenantId, { productClass: "HG8245" });
    expect(firmware.total).toBe(1);
    expect(firmware.rows.map((f) => [f.name, f.version, f.inherited])).toEqual([["HG8245-V2.bin", "V2", true]]);
  });

  it("upgrades 200 devices in three waves, one wave after the other, never more than the concurrency limit at once", async () => {
    const db = database.db;
    const start = new Date("2026-11-24T10:00:00Z");
    await addDevices(200, "WAVE", start);
    const {
      campaign,
      devices,
      waveSizes: sizes,
    } = await createCampaign(
      db,
      {
        tenantId,
        name: "HG8245 to V2",
        fileId,
        productClass: "HG8245",
        waves: [1, 10, 100],
        maxConcurrent: 50,
        failureThreshold: 0.1,
      },
      actor,
    );
    expect(devices).toBe(200);
    expect(sizes).toEqual([2, 18, 180]);

    let now = start;
    const startedPerStep: number[] = [];
    for (let round = 0; round < 40; round++) {
      const step = await advanceCampaign(db, campaign.id, now);
      if (step.state === "completed") break;
      const inFlight = await db.firmwareCampaignDevice.count({
        where: { campaignId: campaign.id, state: { in: ["downloading", "installing"] } },
      });
      expect(inFlight).toBeLessThanOrEqual(50);
      // Only the current wave (and those before it) ever starts.
      const started = await db.firmwareCampaignDevice.findMany({
        where: { campaignId: campaign.id, deviceId: { in: step.started.map((s) => s.deviceId) } },
        select: { wave: true },
      });
      expect(started.every((s) => s.wave <= step.currentWave)).toBe(true);
      startedPerStep.push(step.started.length);
      for (const { deviceId, taskId } of step.started) await runDownload(deviceId, taskId, now, "ok");
      now = new Date(now.getTime() + minutes(5));
    }
    expect(startedPerStep.slice(0, 3)).toEqual([2, 18, 50]);

    const progress = await campaignProgress(db, campaign.id, now);
    expect(progress.campaign.state).toBe("completed");
    expect(progress.total).toMatchObject({ devices: 200, installed: 200, failed: 0, pending: 0, failureRate: 0 });
    expect(progress.waves.map((w) => [w.percent, w.devices, w.installed])).toEqual([
      [1, 2, 2],
      [10, 18, 18],
      [100, 180, 180],
    ]);
    expect(progress.estimatedSecondsLeft).toBe(0);
    expect(await db.device.count({ where: { serialNumber: { startsWith: "WAVE" }, softwareVersion: "V2" } })).toBe(200);
    const completed = await db.domainEvent.findMany({
      where: { subjectId: campaign.id, type: "firmware.campaign.completed" },
    });
    expect(completed).toHaveLength(1);
  }, 120_000);

  it("pauses itself when 30% of a wave fails, says why, and goes on after a resume", async () => {
    const db = database.db;
    const start = new Date("2026-11-25T10:00:00Z");
    await db.device.updateMany({
      where: { serialNumber: { startsWith: "WAVE" } },
      data: { productClass: "HG8245-done" },
    });
    await addDevices(100, "FAIL", start);
    const { campaign } = await createCampaign(
      db,
      {
        tenantId,
        name: "flaky rollout",
        fileId,
        productClass: "HG8245",
        waves: [10, 50, 100],
        maxConcurrent: 100,
        failureThreshold: 0.2,
      },
      actor,
    );
    let now = start;
    let step = await advanceCampaign(db, campaign.id, now);
    expect(step.started).toHaveLength(10);
    // 30% of the devices fail: the first three of every batch.
    for (const [i, { deviceId, taskId }] of step.started.entries())
      await runDownload(deviceId, taskId, now, i < 3 ? "fault" : "ok");
    now = new Date(now.getTime() + minutes(5));

    step = await advanceCampaign(db, campaign.id, now);
    expect(step.state).toBe("paused");
    expect(step.started).toHaveLength(0);
    expect(step.pausedReason).toBe("wave 1: 3 of 10 devices failed (30%), above the 20% threshold");
    const progress = await campaignProgress(db, campaign.id, now);
    expect(progress.campaign.state).toBe("paused");
    expect(progress.waves[0]).toMatchObject({ installed: 7, failed: 3, failureRate: 0.3 });
    expect(progress.waves[0]!.reasons).toEqual([
      { reason: "download failed: Download failure (fault 9010)", devices: 3 },
    ]);
    expect(progress.waves[1]).toMatchObject({ pending: 40, downloading: 0 });
    expect(progress.estimatedSecondsLeft).toBeNull();
    const paused = await db.domainEvent.findMany({
      where: { subjectId: campaign.id, type: "firmware.campaign.paused" },
    });
    expect(paused).toHaveLength(1);

    // Still paused on the next round: nothing starts by itself.
    expect((await advanceCampaign(db, campaign.id, new Date(now.getTime() + minutes(5)))).started).toHaveLength(0);

    // An operator accepts those failures; the next wave starts, and pauses again when it too fails 30%.
    await resumeCampaign(db, campaign.id, actor);
    now = new Date(now.getTime() + minutes(10));
    step = await advanceCampaign(db, campaign.id, now);
    expect(step.currentWave).toBe(1);
    expect(step.started).toHaveLength(40);
    for (const [i, { deviceId, taskId }] of step.started.entries())
      await runDownload(deviceId, taskId, now, i % 10 < 3 ? "fault" : "ok");
    now = new Date(now.getTime() + minutes(5));
    step = await advanceCampaign(db, campaign.id, now);
    expect(step.state).toBe("paused");
    expect(step.pausedReason).toContain("wave 2: 12 of 40 devices failed (30%)");
  });

  it("marks a device that does not come back after the download as not returned, and one on the old version as failed", async () => {
    const db = database.db;
    const start = new Date("2026-11-26T10:00:00Z");
    await db.device.updateMany({
      where: { serialNumber: { startsWith: "FAIL" } },
      data: { productClass: "HG8245-done" },
    });
    const ids = await addDevices(3, "BACK", start);
    const { campaign } = await createCampaign(
      db,
      { tenantId, name: "return check", fileId, productClass: "HG8245", waves: [100], returnTimeoutMinutes: 30 },
      actor,
    );
    const step = await advanceCampaign(db, campaign.id, start);
    expect(step.started).toHaveLength(3);
    const byDevice = new Map(step.started.map((s) => [s.deviceId, s.taskId]));
    const [ok, old, silent] = ids as [string, string, string];
    await runDownload(ok, byDevice.get(ok)!, start, "ok");
    await runDownload(old, byDevice.get(old)!, start, "oldVersion");
    await runDownload(silent, byDevice.get(silent)!, start, "silent");

    await advanceCampaign(db, campaign.id, new Date(start.getTime() + minutes(5)));
    const states = async () =>
      Object.fromEntries(
        (await db.firmwareCampaignDevice.findMany({ where: { campaignId: campaign.id } })).map((d) => [
          d.deviceId,
          [d.state, d.reason],
        ]),
      );
    expect(await states()).toEqual({
      [ok]: ["installed", null],
      [old]: ["failed", "came back with version V1 instead of V2"],
      [silent]: ["installing", null],
    });
    // 1 failure of 3 is above 10%: the campaign pauses, but devices under way are still followed.
    const later = await advanceCampaign(db, campaign.id, new Date(start.getTime() + minutes(31)));
    expect(later.state).toBe("paused");
    expect((await states())[silent]).toEqual(["notReturned", "no Inform within 30 min after the download"]);

    // It comes back on the new version after all.
    await db.device.update({
      where: { id: silent },
      data: { softwareVersion: "V2", lastInformAt: new Date(start.getTime() + minutes(40)) },
    });
    await advanceCampaign(db, campaign.id, new Date(start.getTime() + minutes(41)));
    expect((await states())[silent]).toEqual(["installed", null]);
  });

  it("starts devices only within the maintenance windows of the target domain's time zone", async () => {
    const db = database.db;
    await db.device.updateMany({
      where: { serialNumber: { startsWith: "BACK" } },
      data: { productClass: "HG8245-done" },
    });
    await addDevices(4, "NIGHT", new Date("2026-11-26T10:00:00Z"));
    const { campaign } = await createCampaign(
      db,
      {
        tenantId,
        name: "night only",
        fileId,
        productClass: "HG8245",
        waves: [100],
        windows: [{ start: "02:00", end: "05:00" }],
      },
      actor,
    );
    // 10:00 UTC is 11:00 in Paris: outside.
    expect((await advanceCampaign(db, campaign.id, new Date("2026-11-27T10:00:00Z"))).started).toHaveLength(0);
    // 01:30 UTC is 02:30 in Paris: inside.
    expect((await advanceCampaign(db, campaign.id, new Date("2026-11-28T01:30:00Z"))).started).toHaveLength(4);
    await pauseCampaign(db, campaign.id, actor, "change freeze");
    expect((await campaignProgress(db, campaign.id)).campaign.pausedReason).toBe("change freeze");
  });

  it("is advanced by the scheduler, and cancelling withdraws queued downloads and drops devices not started", async () => {
    const db = database.db;
    await db.device.updateMany({
      where: { serialNumber: { startsWith: "NIGHT" } },
      data: { productClass: "HG8245-done" },
    });
    await addDevices(6, "STOP", new Date("2026-11-29T09:00:00Z"));
    const { campaign } = await createCampaign(
      db,
      { tenantId, name: "to be cancelled", fileId, productClass: "HG8245", waves: [100], maxConcurrent: 2 },
      actor,
    );
    const scheduler = runCampaignScheduler(db, {
      intervalMs: 3_600_000,
      clock: () => new Date("2026-11-29T10:00:00Z"),
      wake: false,
    });
    await scheduler.tick();
    await scheduler.stop();
    const started = await db.firmwareCampaignDevice.findMany({
      where: { campaignId: campaign.id, state: "downloading" },
    });
    expect(started).toHaveLength(2);

    await cancelCampaign(db, campaign.id, actor);
    const progress = await campaignProgress(db, campaign.id);
    expect(progress.campaign.state).toBe("cancelled");
    expect(progress.total).toMatchObject({ devices: 6, cancelled: 6, downloading: 0, pending: 0 });
    const tasks = await db.task.findMany({ where: { id: { in: started.map((s) => s.taskId!) } } });
    expect(tasks.map((t) => t.state)).toEqual(["cancelled", "cancelled"]);
  });

  it("refuses a campaign for a model the image is not for, and one that targets no device", async () => {
    await expect(
      createCampaign(database.db, { tenantId, name: "wrong model", fileId, productClass: "EG8145V5" }, actor),
    ).rejects.toThrow("HG8245-V2.bin is for HG8245, not EG8145V5");
    await expect(
      createCampaign(
        database.db,
        { tenantId: platformId, name: "nobody", fileId, productClass: "HG8245", fromVersions: ["V0"] },
        actor,
      ),
    ).rejects.toThrow("no HG8245 device in that domain needs V2");
  });
});

describe("maintenance windows", () => {
  // 2026-11-24 is a Tuesday; Paris is UTC+1 in November.
  const paris = "Europe/Paris";
  it("holds times inside a window of the day", () => {
    const windows = [{ start: "02:00", end: "05:00" }];
    expect(withinMaintenanceWindow(windows, paris, new Date("2026-11-24T01:30:00Z"))).toBe(true);
    expect(withinMaintenanceWindow(windows, paris, new Date("2026-11-24T04:00:00Z"))).toBe(false);
    expect(withinMaintenanceWindow(windows, "UTC", new Date("2026-11-24T04:00:00Z"))).toBe(true);
    expect(withinMaintenanceWindow([], paris, new Date())).toBe(true);
  });
  it("runs a window past midnight on the day it started", () => {
    const mondayNights = [{ days: [1], start: "22:00", end: "04:00" }];
    expect(withinMaintenanceWindow(mondayNights, paris, new Date("2026-11-23T21:30:00Z"))).toBe(true); // Mon 22:30
    expect(withinMaintenanceWindow(mondayNights, paris, new Date("2026-11-24T02:00:00Z"))).toBe(true); // Tue 03:00
    expect(withinMaintenanceWindow(mondayNights, paris, new Date("2026-11-24T21:30:00Z"))).toBe(false); // Tue 22:30
  });
});
