import type { Db, Prisma } from "@beacon/db";
import { recordAudit } from "../audit/record-audit.ts";
import { nextWebhookAttempt } from "./retry-schedule.ts";
import { type SendOptions, sendWebhook, type WebhookAnswer } from "./send-webhook.ts";
import { webhookHeaders } from "./signature.ts";

export interface DeliverOptions extends SendOptions {
  batchSize: number;
  /** Deliveries in flight at once. */
  concurrency: number;
  now?: () => Date;
  random?: () => number;
}

export interface DeliverReport {
  attempted: number;
  delivered: number;
  retrying: number;
  failed: number;
}

interface Claimed {
  id: string;
  tenantId: string;
  webhookId: string;
  messageId: string;
  body: string;
  attempts: number;
  retryUntil: Date;
  history: Prisma.JsonValue;
}

/** Attempts the history keeps per delivery; the counters keep the rest. */
const KEPT_ATTEMPTS = 30;

/**
 * Sends the deliveries that are due. Each is claimed first (SKIP LOCKED, and its next attempt pushed past the
 * timeout) so that several dispatchers never send the same one at once, and one that stopped mid-flight is taken
 * up again once the claim runs out.
 */
export async function deliverDueWebhooks(db: Db, options: DeliverOptions): Promise<DeliverReport> {
  const now = options.now?.() ?? new Date();
  const claimUntil = new Date(now.getTime() + options.timeoutMs + 30_000);
  const claimed = await db.$queryRaw<Claimed[]>`
    UPDATE "WebhookDelivery" d
    SET "nextAttemptAt" = ${claimUntil}::timestamptz, "attempts" = d."attempts" + 1, "lastAttemptAt" = ${now}::timestamptz
    FROM (
      SELECT due."id" FROM "WebhookDelivery" due
      JOIN "Webhook" w ON w."id" = due."webhookId"
      WHERE due."state" = 'pending' AND due."nextAttemptAt" <= ${now}::timestamptz AND w."enabled"
      ORDER BY due."nextAttemptAt", due."id"
      LIMIT ${options.batchSize}
      FOR UPDATE OF due SKIP LOCKED
    ) picked
    WHERE d."id" = picked."id"
    RETURNING d."id", d."tenantId", d."webhookId", d."messageId", d."body", d."attempts", d."retryUntil", d."history"`;
  const report: DeliverReport = { attempted: claimed.length, delivered: 0, retrying: 0, failed: 0 };
  if (claimed.length === 0) return report;

  const webhooks = await db.webhook.findMany({
    where: { id: { in: [...new Set(claimed.map((c) => c.webhookId))] } },
    select: {
      id: true,
      url: true,
      secrets: {
        where: { OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
        orderBy: { createdAt: "desc" },
        select: { secret: true },
      },
    },
  });
  const byId = new Map(webhooks.map((w) => [w.id, w]));
  const queue = [...claimed];
  const worker = async () => {
    for (let delivery = queue.shift(); delivery; delivery = queue.shift()) {
      const webhook = byId.get(delivery.webhookId);
      if (!webhook) continue;
      const timestamp = Math.floor((options.now?.() ?? new Date()).getTime() / 1000);
      const headers = webhookHeaders(
        webhook.secrets.map((s) => s.secret),
        { messageId: delivery.messageId, timestamp, body: delivery.body },
      );
      const answer = await sendWebhook({ url: webhook.url, headers, body: delivery.body }, options);
      const outcome = await recordAttempt(db, delivery, webhook.url, answer, options);
      report[outcome] += 1;
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, claimed.length) }, worker));
  return report;
}

type Outcome = "delivered" | "retrying" | "failed";

async function recordAttempt(
  db: Db,
  delivery: Claimed,
  url: string,
  answer: WebhookAnswer,
  options: DeliverOptions,
): Promise<Outcome> {
  const at = options.now?.() ?? new Date();
  const entry = { at: at.toISOString(), status: answer.status, error: answer.error, durationMs: answer.durationMs };
  const past = Array.isArray(delivery.history) ? delivery.history : [];
  const history = [...past, entry].slice(-KEPT_ATTEMPTS);
  const common = { lastStatus: answer.status, lastError: answer.error, history };

  if (answer.status !== null && answer.status >= 200 && answer.status < 300) {
    await db.webhookDelivery.update({
      where: { id: delivery.id },
      data: { ...common, state: "delivered", deliveredAt: at, nextAttemptAt: null },
    });
    return "delivered";
  }
  // Standard Webhooks: 410 Gone means the receiver wants no more messages at this endpoint.
  if (answer.status === 410) {
    const reason = `${url} answered 410 Gone on ${at.toISOString()}`;
    await db.$transaction(async (tx) => {
      await tx.webhookDelivery.update({
        where: { id: delivery.id },
        data: { ...common, state: "failed", nextAttemptAt: null, lastError: `${reason}; the webhook was disabled` },
      });
      const disabled = await tx.webhook.updateMany({
        where: { id: delivery.webhookId, enabled: true },
        data: { enabled: false, disabledReason: reason },
      });
      if (disabled.count) {
        await recordAudit(tx, {
          tenantId: delivery.tenantId,
          actorLabel: "system",
          action: "webhook.disable",
          targetType: "webhook",
          targetId: delivery.webhookId,
          after: { reason },
        });
      }
    });
    return "failed";
  }
  const next = nextWebhookAttempt(delivery.attempts, at, delivery.retryUntil, options.random);
  if (!next) {
    await db.webhookDelivery.update({
      where: { id: delivery.id },
      data: {
        ...common,
        state: "failed",
        nextAttemptAt: null,
        lastError: `gave up after ${delivery.attempts} attempts: ${answer.error ?? `HTTP ${answer.status}`}`,
      },
    });
    return "failed";
  }
  await db.webhookDelivery.update({ where: { id: delivery.id }, data: { ...common, nextAttemptAt: next } });
  return "retrying";
}
