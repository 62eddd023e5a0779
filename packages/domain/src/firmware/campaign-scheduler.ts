import type { Db } from "@beacon/db";
import { type ConnectionRequestSettings, wakeDevice } from "../connection-request/wake-device.ts";
import { advanceCampaign, type CampaignStep } from "./advance-campaign.ts";

export interface SchedulerHandle {
  /** Runs one round now (also what the timer does); resolves when it is done. */
  tick: () => Promise<void>;
  /** Stops the timer and waits for a round under way. */
  stop: () => Promise<void>;
}

export interface CampaignSchedulerOptions {
  intervalMs?: number;
  clock?: () => Date;
  /** Send a connection request to each device given a download, so it starts now; default true. */
  wake?: boolean;
  /** How those connection requests are sent (allowed targets, Basic, the log). */
  connectionRequests?: ConnectionRequestSettings;
  onStep?: (step: CampaignStep) => void;
  onError?: (error: unknown) => void;
}

/**
 * Advances every running or paused campaign every `intervalMs` (default one minute). Start it in one or more
 * long-running processes (the ingress, the console's server): advanceCampaign tolerates several at once.
 * Rounds never overlap within a process; the timer does not keep the process alive.
 */
export function runCampaignScheduler(db: Db, options: CampaignSchedulerOptions = {}): SchedulerHandle {
  const clock = options.clock ?? (() => new Date());
  const onError = options.onError ?? (() => {});
  let running: Promise<void> | null = null;
  const round = async () => {
    const campaigns = await db.firmwareCampaign.findMany({
      where: {
        OR: [
          { state: { in: ["running", "paused"] } },
          { state: "cancelled", devices: { some: { state: { in: ["downloading", "installing"] } } } },
        ],
      },
      select: { id: true },
    });
    for (const { id } of campaigns) {
      try {
        const step = await advanceCampaign(db, id, clock());
        options.onStep?.(step);
        if (options.wake !== false) await wakeAll(db, step.started, options.connectionRequests);
      } catch (error) {
        onError(error);
      }
    }
  };
  const tick = () => {
    running ??= round()
      .catch(onError)
      .finally(() => {
        running = null;
      });
    return running;
  };
  const timer = setInterval(() => void tick(), options.intervalMs ?? 60_000);
  timer.unref();
  return {
    tick,
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}

/** Connection requests, ten at a time; a device that cannot be reached starts at its next periodic Inform. */
async function wakeAll(
  db: Db,
  started: CampaignStep["started"],
  settings: ConnectionRequestSettings | undefined,
): Promise<void> {
  const queue = [...started];
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      await wakeDevice(db, next.deviceId, { taskId: next.taskId, settings }).catch(() => undefined);
    }
  };
  await Promise.all(Array.from({ length: Math.min(10, queue.length) }, worker));
}
