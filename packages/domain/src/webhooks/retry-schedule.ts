/**
 * When a failed delivery is tried again: exponential backoff from 30 seconds, doubling up to 8 hours, each delay
 * spread by +-20% so that deliveries that failed together do not all come back together, and nothing after 72
 * hours (the last attempt falls on the deadline itself).
 */

export const WEBHOOK_RETRY_WINDOW_MS = 72 * 3_600_000;
const FIRST_DELAY_MS = 30_000;
const LONGEST_DELAY_MS = 8 * 3_600_000;
const JITTER = 0.2;

/** The delay after `failedAttempts` (1 or more) failed attempts; `random` returns [0, 1). */
export function webhookRetryDelayMs(failedAttempts: number, random: () => number = Math.random): number {
  const exponent = Math.max(0, failedAttempts - 1);
  const base = Math.min(FIRST_DELAY_MS * 2 ** Math.min(exponent, 30), LONGEST_DELAY_MS);
  return Math.round(base * (1 - JITTER + 2 * JITTER * random()));
}

/** When to try again, or null when the delivery's time is up. */
export function nextWebhookAttempt(
  failedAttempts: number,
  now: Date,
  retryUntil: Date,
  random: () => number = Math.random,
): Date | null {
  if (now.getTime() >= retryUntil.getTime()) return null;
  return new Date(Math.min(now.getTime() + webhookRetryDelayMs(failedAttempts, random), retryUntil.getTime()));
}
