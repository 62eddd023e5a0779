import type { Db, Prisma } from "@beacon/db";
import { WEBHOOK_RETRY_WINDOW_MS } from "./retry-schedule.ts";
import { newWebhookMessageId } from "./signature.ts";
import { databaseNow, FAN_OUT_LOCK_KEY, tryLock } from "./webhook-cursor.ts";
import { webhookBody, webhookEventsOf } from "./webhook-events.ts";

const CURSOR = "events";

export interface FanOutOptions {
  /** How long a transaction that records a DomainEvent may take to commit. */
  lagMs: number;
  batchSize: number;
}

/**
 * Reads DomainEvent rows after the cursor and queues a delivery for every enabled webhook of the event's domain or
 * a domain above it that subscribes to it (and existed when it happened).
 *
 * Ids come from a sequence, so a transaction can commit an event with a smaller id after a larger one was read.
 * Events are therefore read again until they are older than twice the lag, and the cursor moves only past those:
 * an event not yet visible then belongs to a transaction that has run for longer than the lag. Reading an event
 * twice queues nothing twice (one delivery per webhook, event and type).
 */
export async function fanOutDomainEvents(db: Db, options: FanOutOptions): Promise<{ events: number; queued: number }> {
  return db.$transaction(
    async (tx) => {
      if (!(await tryLock(tx, FAN_OUT_LOCK_KEY))) return { events: 0, queued: 0 };
      const now = await databaseNow(tx);
      const cursor = (await tx.webhookCursor.findUnique({ where: { name: CURSOR } })) ?? (await startCursor(tx));
      const events = await tx.domainEvent.findMany({
        where: { id: { gt: cursor.lastEventId ?? 0n } },
        orderBy: { id: "asc" },
        take: options.batchSize,
      });
      if (events.length === 0) return { events: 0, queued: 0 };

      const webhooks = await tx.webhook.findMany({
        where: { enabled: true },
        select: { id: true, tenantId: true, eventTypes: true, createdAt: true },
      });
      const tenants = await tx.tenant.findMany({
        where: { id: { in: [...new Set(events.map((e) => e.tenantId))] } },
        select: { id: true, ancestorIds: true },
      });
      const ancestorsOf = new Map(tenants.map((t) => [t.id, new Set(t.ancestorIds)]));
      const retryUntil = new Date(now.getTime() + WEBHOOK_RETRY_WINDOW_MS);
      const deliveries: Prisma.WebhookDeliveryCreateManyInput[] = [];
      for (const event of events) {
        const translated = webhookEventsOf(event);
        if (translated.length === 0) continue;
        const ancestors = ancestorsOf.get(event.tenantId);
        for (const webhook of webhooks) {
          if (!ancestors?.has(webhook.tenantId) || webhook.createdAt > event.createdAt) continue;
          for (const { type, data } of translated) {
            if (!webhook.eventTypes.includes(type)) continue;
            deliveries.push({
              tenantId: webhook.tenantId,
              webhookId: webhook.id,
              eventId: event.id,
              eventType: type,
              messageId: newWebhookMessageId(),
              body: webhookBody(type, event.createdAt, data),
              retryUntil,
            });
          }
        }
      }
      const queued = deliveries.length
        ? (await tx.webhookDelivery.createMany({ data: deliveries, skipDuplicates: true })).count
        : 0;

      const settledBefore = now.getTime() - 2 * options.lagMs;
      const settled = events.filter((e) => e.createdAt.getTime() <= settledBefore).map((e) => e.id);
      if (settled.length) {
        const lastEventId = settled.reduce((a, b) => (b > a ? b : a));
        await tx.webhookCursor.update({ where: { name: CURSOR }, data: { lastEventId } });
      }
      return { events: events.length, queued };
    },
    { timeout: 60_000 },
  );
}

/**
 * The first run starts after the last event older than every webhook: those could not be delivered anyway, and a
 * long history is not read through for nothing.
 */
async function startCursor(tx: Prisma.TransactionClient) {
  const oldest = await tx.webhook.findFirst({ orderBy: { createdAt: "asc" }, select: { createdAt: true } });
  const before = await tx.domainEvent.findFirst({
    where: oldest ? { createdAt: { lt: oldest.createdAt } } : {},
    orderBy: { id: "desc" },
    select: { id: true },
  });
  return tx.webhookCursor.create({ data: { name: CURSOR, lastEventId: before?.id ?? 0n } });
}
