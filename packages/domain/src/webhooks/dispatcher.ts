import type { Db } from "@beacon/db";
import { collectStateChanges } from "./collect-state-changes.ts";
import { type DeliverReport, deliverDueWebhooks } from "./deliver.ts";
import { fanOutDomainEvents } from "./fan-out.ts";

export interface WebhookDispatcherOptions {
  /** Pause between two rounds; default 2 s. */
  intervalMs?: number;
  /** How long a transaction that records an event may take to commit; default 30 s. */
  lagMs?: number;
  /** How long a receiver has to answer; default 10 s. */
  timeoutMs?: number;
  /** Lets deliveries reach loopback and private networks (tests, receivers on the operator's own network). */
  allowPrivateNetworks?: boolean;
  /** Deliveries sent at once; default 8. */
  concurrency?: number;
  /** Called with errors of a round; the next round runs regardless. */
  onError?: (error: unknown) => void;
  now?: () => Date;
  random?: () => number;
}

export interface DispatchReport extends DeliverReport {
  collected: number;
  events: number;
  queued: number;
}

/**
 * One round: record state changes as events, queue deliveries for new events, send what is due. Safe to run in
 * several processes at once (advisory locks and SKIP LOCKED claims keep them from doing the same work twice).
 */
export async function dispatchWebhooksOnce(db: Db, options: WebhookDispatcherOptions = {}): Promise<DispatchReport> {
  const lagMs = options.lagMs ?? 30_000;
  const collected = await collectStateChanges(db, { lagMs });
  const fanned = await fanOutDomainEvents(db, { lagMs, batchSize: 500 });
  const delivered = await deliverDueWebhooks(db, {
    batchSize: 100,
    concurrency: options.concurrency ?? 8,
    timeoutMs: options.timeoutMs ?? 10_000,
    allowPrivateNetworks: options.allowPrivateNetworks ?? false,
    now: options.now,
    random: options.random,
  });
  return { collected, ...fanned, ...delivered };
}

export interface WebhookDispatcher {
  /** Stops scheduling rounds and waits for the one under way. */
  stop(): Promise<void>;
}

/**
 * Runs dispatchWebhooksOnce every `intervalMs` until stopped, in a long-running process (the ingress server, or
 * the console's instrumentation hook). Rounds never overlap.
 */
export function runWebhookDispatcher(db: Db, options: WebhookDispatcherOptions = {}): WebhookDispatcher {
  const intervalMs = options.intervalMs ?? 2_000;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let round: Promise<void> = Promise.resolve();
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      round = dispatchWebhooksOnce(db, options)
        .then(
          () => undefined,
          (error: unknown) => options.onError?.(error),
        )
        .finally(schedule);
    }, intervalMs);
    timer.unref?.();
  };
  schedule();
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await round;
    },
  };
}
