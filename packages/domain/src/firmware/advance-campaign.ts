import type { CampaignDeviceState, Db, FirmwareCampaign, FirmwareCampaignState, Task } from "@beacon/db";
import { recordDomainEvent } from "../alarms/domain-events.ts";
import { NotFound } from "../errors.ts";
import { cancelTask, createTask } from "../tasks/create-task.ts";
import { MaintenanceWindow, withinMaintenanceWindow } from "./maintenance-windows.ts";

export interface CampaignStep {
  campaignId: string;
  state: FirmwareCampaignState;
  currentWave: number;
  /** Devices given a download task in this step: wake them (wakeDevice) to start now. */
  started: { deviceId: string; taskId: string }[];
  /** Devices whose upgrade ended in this step, by outcome. */
  settled: Partial<Record<CampaignDeviceState, number>>;
  pausedReason: string | null;
}

const UNSETTLED: CampaignDeviceState[] = ["pending", "downloading", "installing"];
const FAILED: CampaignDeviceState[] = ["failed", "notReturned"];

/**
 * One step of a campaign, run periodically (runCampaignScheduler) and safe to run from several processes at
 * once: follows each started device (download task done -> installing; an Inform with the target
 * SoftwareVersion -> installed; a task fault, a timeout, another version -> failed; silence after the download
 * -> notReturned), pauses the campaign when the current wave fails too often, moves to the next wave once one
 * is settled, and starts devices of the current wave within the maintenance windows and the concurrency limit.
 * Paused and cancelled campaigns are still followed; they start nothing.
 */
export async function advanceCampaign(db: Db, campaignId: string, now: Date = new Date()): Promise<CampaignStep> {
  let campaign = await db.firmwareCampaign.findUnique({ where: { id: campaignId } });
  if (!campaign) throw new NotFound("campaign");
  const step: CampaignStep = {
    campaignId,
    state: campaign.state,
    currentWave: campaign.currentWave,
    started: [],
    settled: {},
    pausedReason: campaign.pausedReason,
  };
  if (campaign.state === "completed") return step;
  await followDevices(db, campaign, now, step);
  if (campaign.state !== "running" || (campaign.startsAt && campaign.startsAt > now)) return step;

  // Evaluate the current wave; move on while waves are settled.
  for (;;) {
    const counts = await waveCounts(db, campaign.id, campaign.currentWave);
    const size = counts.total - (counts.skipped ?? 0) - (counts.cancelled ?? 0);
    const failures = (counts.failed ?? 0) + (counts.notReturned ?? 0);
    const unaccepted = failures - campaign.acceptedFailures;
    if (size > 0 && unaccepted > campaign.failureThreshold * size) {
      const reason = `wave ${campaign.currentWave + 1}: ${failures} of ${size} devices failed (${Math.round((failures / size) * 100)}%), above the ${Math.round(campaign.failureThreshold * 100)}% threshold`;
      await pause(db, campaign, reason);
      return { ...step, state: "paused", pausedReason: reason };
    }
    const unsettled = UNSETTLED.reduce((n, s) => n + (counts[s] ?? 0), 0);
    if (unsettled > 0) break;
    if (campaign.currentWave >= campaign.waves.length - 1) {
      await complete(db, campaign, now);
      return { ...step, state: "completed" };
    }
    const moved = await db.firmwareCampaign.updateMany({
      where: { id: campaign.id, state: "running", currentWave: campaign.currentWave },
      data: { currentWave: campaign.currentWave + 1, acceptedFailures: 0 },
    });
    if (!moved.count) return step;
    campaign = { ...campaign, currentWave: campaign.currentWave + 1, acceptedFailures: 0 };
    step.currentWave = campaign.currentWave;
  }

  await startDevices(db, campaign, now, step);
  return step;
}

async function waveCounts(db: Db, campaignId: string, wave: number) {
  const groups = await db.firmwareCampaignDevice.groupBy({ by: ["state"], where: { campaignId, wave }, _count: true });
  const counts: Partial<Record<CampaignDeviceState, number>> & { total: number } = { total: 0 };
  for (const g of groups) {
    counts[g.state] = g._count;
    counts.total += g._count;
  }
  return counts;
}

async function pause(db: Db, campaign: FirmwareCampaign, reason: string) {
  await db.$transaction(async (tx) => {
    const paused = await tx.firmwareCampaign.updateMany({
      where: { id: campaign.id, state: "running" },
      data: { state: "paused", pausedReason: reason },
    });
    if (!paused.count) return;
    await recordDomainEvent(tx, {
      tenantId: campaign.tenantId,
      type: "firmware.campaign.paused",
      subjectType: "firmwareCampaign",
      subjectId: campaign.id,
      payload: { name: campaign.name, reason },
    });
  });
}

async function complete(db: Db, campaign: FirmwareCampaign, now: Date) {
  await db.$transaction(async (tx) => {
    const done = await tx.firmwareCampaign.updateMany({
      where: { id: campaign.id, state: "running" },
      data: { state: "completed", completedAt: now },
    });
    if (!done.count) return;
    const groups = await tx.firmwareCampaignDevice.groupBy({
      by: ["state"],
      where: { campaignId: campaign.id },
      _count: true,
    });
    await recordDomainEvent(tx, {
      tenantId: campaign.tenantId,
      type: "firmware.campaign.completed",
      subjectType: "firmwareCampaign",
      subjectId: campaign.id,
      payload: { name: campaign.name, devices: Object.fromEntries(groups.map((g) => [g.state, g._count])) },
    });
  });
}

function minutes(n: number): number {
  return n * 60_000;
}

/** Moves started devices along from their download task and their Informs. */
async function followDevices(db: Db, campaign: FirmwareCampaign, now: Date, step: CampaignStep): Promise<void> {
  const rows = await db.firmwareCampaignDevice.findMany({
    where: {
      campaignId: campaign.id,
      OR: [{ state: { in: ["downloading", "installing"] } }, { state: { in: FAILED }, startedAt: { not: null } }],
    },
    include: { device: { select: { softwareVersion: true, lastInformAt: true, protocol: true } } },
  });
  const taskIds = rows.flatMap((r) => (r.state === "downloading" && r.taskId ? [r.taskId] : []));
  const tasks = new Map<string, Task>(
    taskIds.length ? (await db.task.findMany({ where: { id: { in: taskIds } } })).map((t) => [t.id, t]) : [],
  );
  const target = campaign.targetVersion;
  for (const row of rows) {
    const version = row.device.softwareVersion;
    const move = async (state: CampaignDeviceState, data: { reason?: string | null; downloadedAt?: Date } = {}) => {
      const final = state !== "installing";
      const updated = await db.firmwareCampaignDevice.updateMany({
        where: { id: row.id, state: row.state },
        data: { state, reason: data.reason ?? null, downloadedAt: data.downloadedAt, finishedAt: final ? now : null },
      });
      if (updated.count && final) step.settled[state] = (step.settled[state] ?? 0) + 1;
    };
    if (row.state === "failed" || row.state === "notReturned") {
      // A device that was written off but came back on the new version after all.
      if (version === target) await move("installed");
      continue;
    }
    /** reportedAfter: an Inform after this reports the version the device runs once the image is applied. */
    const afterDownload = async (downloadedAt: Date, reportedAfter: Date = downloadedAt) => {
      const lastInform = row.device.lastInformAt;
      if (version === target) await move("installed", { downloadedAt });
      else if (lastInform && lastInform > reportedAfter) {
        await move("failed", {
          reason: `came back with version ${version ?? "unknown"} instead of ${target}`,
          downloadedAt,
        });
      } else if (now.getTime() - downloadedAt.getTime() > minutes(campaign.returnTimeoutMinutes)) {
        await move("notReturned", {
          reason: `no Inform within ${campaign.returnTimeoutMinutes} min after the download`,
          downloadedAt,
        });
      } else if (row.state !== "installing") {
        await move("installing", { downloadedAt });
      }
    };
    if (row.state === "installing") {
      await afterDownload(row.downloadedAt ?? now);
      continue;
    }
    // downloading
    const task = row.taskId ? tasks.get(row.taskId) : undefined;
    const overdue =
      row.startedAt !== null && now.getTime() - row.startedAt.getTime() > minutes(campaign.downloadTimeoutMinutes);
    if (!task) {
      if (overdue || (row.startedAt && now.getTime() - row.startedAt.getTime() > minutes(5))) {
        await move("failed", { reason: "no download task was queued" });
      }
      continue;
    }
    switch (task.state) {
      case "done": {
        // A TransferComplete comes in the session the device opens once the image is applied (after its
        // reboot), so any Inform after the Download was sent carries the new version, or the old one it fell
        // back to; a DownloadResponse with status 0 says the image is applied already.
        await afterDownload(task.finishedAt ?? now, task.startedAt ?? undefined);
        break;
      }
      case "fault":
        await move("failed", {
          reason: `download failed: ${task.faultString ?? "CPE fault"}${task.faultCode !== null ? ` (fault ${task.faultCode})` : ""}`,
        });
        break;
      case "expired":
        await move("failed", { reason: "the device opened no session before the download task expired" });
        break;
      case "cancelled":
        await move(campaign.state === "cancelled" ? "cancelled" : "failed", {
          reason: "the download task was cancelled",
        });
        break;
      default:
        if (overdue) {
          if (task.state === "pending")
            await cancelTask(db, task.id, { label: `campaign ${campaign.name}` }).catch(() => undefined);
          // Over USP the task runs until the agent reports its version after the reboot (usp-firmware.ts).
          const awaited = row.device.protocol === "usp" ? "no new version reported" : "no TransferComplete";
          await move("failed", { reason: `${awaited} within ${campaign.downloadTimeoutMinutes} min` });
        }
    }
  }
}

/** Gives download tasks to pending devices of the waves so far, within the window and the concurrency limit. */
async function startDevices(db: Db, campaign: FirmwareCampaign, now: Date, step: CampaignStep): Promise<void> {
  const domain = await db.tenant.findUnique({ where: { id: campaign.domainId }, select: { timeZone: true } });
  const parsedWindows = MaintenanceWindow.array().safeParse(campaign.windows);
  const windows = parsedWindows.success ? parsedWindows.data : [];
  // Each device's own site decides what time it is there (hotels of one chain span time zones).
  const zones = windows.length
    ? await db.tenant.findMany({
        where: { ancestorIds: { has: campaign.domainId } },
        select: { id: true, timeZone: true },
      })
    : [];
  const zoneOf = new Map(zones.filter((z) => z.timeZone).map((z) => [z.id, z.timeZone]));
  const open = (ancestorIds: readonly string[]) => {
    if (!windows.length) return true;
    const own = [...ancestorIds].reverse().find((id) => zoneOf.has(id));
    return withinMaintenanceWindow(windows, (own && zoneOf.get(own)) ?? domain?.timeZone ?? "UTC", now);
  };
  const inFlight = await db.firmwareCampaignDevice.count({
    where: { campaignId: campaign.id, state: { in: ["downloading", "installing"] } },
  });
  const capacity = campaign.maxConcurrent - inFlight;
  if (capacity <= 0) return;
  const candidates = (
    await db.firmwareCampaignDevice.findMany({
      where: { campaignId: campaign.id, state: "pending", wave: { lte: campaign.currentWave } },
      orderBy: [{ wave: "asc" }, { id: "asc" }],
      take: windows.length ? capacity * 4 : capacity,
      include: {
        device: { select: { productClass: true, softwareVersion: true, tenant: { select: { ancestorIds: true } } } },
      },
    })
  )
    .filter((c) => open(c.device.tenant.ancestorIds))
    .slice(0, capacity);
  const actor = { label: `campaign ${campaign.name}` };
  // Claim first, in one statement: another process running the same step takes other devices.
  const claimed = new Set(
    (
      await db.$queryRaw<{ id: string }[]>`
        UPDATE "FirmwareCampaignDevice" f SET "state" = 'downloading', "startedAt" = ${now}::timestamptz,
          "fromVersion" = d."softwareVersion"
        FROM "Device" d
        WHERE f."id" = ANY(${candidates.map((c) => c.id)}::uuid[]) AND f."state" = 'pending' AND d."id" = f."deviceId"
        RETURNING f."id"`
    ).map((r) => r.id),
  );
  for (const row of candidates) {
    if (!claimed.has(row.id)) continue;
    const skip = skipReason(campaign, row.device);
    if (skip) {
      await db.firmwareCampaignDevice.update({
        where: { id: row.id },
        data: { state: "skipped", reason: skip, finishedAt: now },
      });
      step.settled.skipped = (step.settled.skipped ?? 0) + 1;
      continue;
    }
    try {
      const task = await createTask(
        db,
        {
          deviceId: row.deviceId,
          kind: "download",
          args: { fileId: campaign.fileId },
          notBefore: now,
          expiresAt: new Date(now.getTime() + minutes(campaign.downloadTimeoutMinutes)),
        },
        actor,
      );
      await db.firmwareCampaignDevice.update({ where: { id: row.id }, data: { taskId: task.id } });
      step.started.push({ deviceId: row.deviceId, taskId: task.id });
    } catch (error) {
      await db.firmwareCampaignDevice.update({
        where: { id: row.id },
        data: { state: "failed", reason: `could not queue the download: ${(error as Error).message}`, finishedAt: now },
      });
      step.settled.failed = (step.settled.failed ?? 0) + 1;
    }
  }
}

function skipReason(
  campaign: FirmwareCampaign,
  device: { productClass: string; softwareVersion: string | null; tenant: { ancestorIds: string[] } },
): string | null {
  if (device.softwareVersion === campaign.targetVersion) return `already on ${campaign.targetVersion}`;
  const models = campaign.productClasses.length ? campaign.productClasses : [campaign.productClass];
  if (!models.includes(device.productClass)) return `now a ${device.productClass}, not a ${models.join(" or ")}`;
  if (!device.tenant.ancestorIds.includes(campaign.domainId)) return "moved out of the campaign's domain";
  if (campaign.siteIds.length && !campaign.siteIds.some((id) => device.tenant.ancestorIds.includes(id))) {
    return "moved out of the campaign's sites";
  }
  if (campaign.fromVersions.length && !campaign.fromVersions.includes(device.softwareVersion ?? "")) {
    return `now on ${device.softwareVersion ?? "an unknown version"}, not one of the versions targeted`;
  }
  return null;
}
