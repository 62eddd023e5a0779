import type { Db, FirmwareCampaignState } from "@beacon/db";
import { NotFound } from "../errors.ts";

export interface ProgressCounts {
  devices: number;
  pending: number;
  /** Download task queued or running. */
  downloading: number;
  /** Downloaded; waiting for the device to inform with the new version. */
  installing: number;
  installed: number;
  failed: number;
  notReturned: number;
  skipped: number;
  cancelled: number;
  /** (failed + notReturned) / settled devices that were tried, 0..1; null before any settled. */
  failureRate: number | null;
  /** Why devices failed or did not return, most frequent first. */
  reasons: { reason: string; devices: number }[];
}

export interface CampaignProgress {
  campaign: {
    id: string;
    name: string;
    state: FirmwareCampaignState;
    pausedReason: string | null;
    productClass: string;
    targetVersion: string;
    currentWave: number;
  };
  waves: (ProgressCounts & { wave: number; percent: number })[];
  total: ProgressCounts;
  /** From the pace so far (settled devices per second since the first start); null until one settled. */
  estimatedSecondsLeft: number | null;
  estimatedCompletionAt: Date | null;
}

function emptyCounts(): ProgressCounts {
  return {
    devices: 0,
    pending: 0,
    downloading: 0,
    installing: 0,
    installed: 0,
    failed: 0,
    notReturned: 0,
    skipped: 0,
    cancelled: 0,
    failureRate: null,
    reasons: [],
  };
}

function finishCounts(c: ProgressCounts): ProgressCounts {
  const tried = c.installed + c.failed + c.notReturned;
  c.failureRate = tried ? Math.round(((c.failed + c.notReturned) / tried) * 1000) / 1000 : null;
  c.reasons.sort((a, b) => b.devices - a.devices || a.reason.localeCompare(b.reason));
  return c;
}

/** Per wave and in total: how many devices wait, download, install, succeeded or failed (and why), and time left. */
export async function campaignProgress(db: Db, campaignId: string, now: Date = new Date()): Promise<CampaignProgress> {
  const campaign = await db.firmwareCampaign.findUnique({ where: { id: campaignId } });
  if (!campaign) throw new NotFound("campaign");
  const [byState, byReason, pace] = await Promise.all([
    db.firmwareCampaignDevice.groupBy({ by: ["wave", "state"], where: { campaignId }, _count: true }),
    db.firmwareCampaignDevice.groupBy({
      by: ["wave", "reason"],
      where: { campaignId, state: { in: ["failed", "notReturned"] } },
      _count: true,
    }),
    db.firmwareCampaignDevice.aggregate({
      where: { campaignId, startedAt: { not: null } },
      _min: { startedAt: true },
    }),
  ]);
  const waves = campaign.waves.map((percent, wave) => ({ wave, percent, ...emptyCounts() }));
  const total = emptyCounts();
  for (const g of byState) {
    const w = waves[g.wave];
    for (const counts of w ? [w, total] : [total]) {
      counts[g.state] += g._count;
      counts.devices += g._count;
    }
  }
  for (const g of byReason) {
    const reason = g.reason ?? "unknown";
    for (const counts of [waves[g.wave], total]) {
      if (!counts) continue;
      const entry = counts.reasons.find((r) => r.reason === reason);
      if (entry) entry.devices += g._count;
      else counts.reasons.push({ reason, devices: g._count });
    }
  }
  waves.forEach(finishCounts);
  finishCounts(total);

  const remaining = total.pending + total.downloading + total.installing;
  const settled = total.devices - remaining - total.cancelled;
  const firstStart = pace._min.startedAt;
  let estimatedSecondsLeft: number | null = null;
  if (campaign.state === "completed" || campaign.state === "cancelled" || remaining === 0) {
    estimatedSecondsLeft = 0;
  } else if (campaign.state === "running" && settled > 0 && firstStart) {
    const elapsed = Math.max(1, (now.getTime() - firstStart.getTime()) / 1000);
    estimatedSecondsLeft = Math.round(remaining / (settled / elapsed));
  }
  return {
    campaign: {
      id: campaign.id,
      name: campaign.name,
      state: campaign.state,
      pausedReason: campaign.pausedReason,
      productClass: campaign.productClass,
      targetVersion: campaign.targetVersion,
      currentWave: campaign.currentWave,
    },
    waves,
    total,
    estimatedSecondsLeft,
    estimatedCompletionAt: estimatedSecondsLeft === null ? null : new Date(now.getTime() + estimatedSecondsLeft * 1000),
  };
}
