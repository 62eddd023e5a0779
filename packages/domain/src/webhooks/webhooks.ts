import type { Prisma, WebhookDeliveryState } from "@beacon/db";
import { z } from "zod";
import { requireOwner } from "../api-tokens/api-tokens.ts";
import { appendAudit } from "../audit/audit-trail.ts";
import { DOMAIN_SELECT, type DomainRef, withDomainPaths } from "../domains/domain-paths.ts";
import { Invalid, NotFound } from "../errors.ts";
import type { TenantAccess } from "../tenancy/tenant-access.ts";
import type { ScopedDb } from "../tenancy/tenant-scope.ts";
import { WEBHOOK_RETRY_WINDOW_MS } from "./retry-schedule.ts";
import { newWebhookMessageId, newWebhookSecret } from "./signature.ts";
import { WEBHOOK_EVENT_TYPES, WEBHOOK_TEST_EVENT, webhookBody } from "./webhook-events.ts";
import { webhookUrlProblem } from "./webhook-url.ts";

/** How long the secret before a rotation keeps signing, so that receivers can switch without losing messages. */
export const WEBHOOK_SECRET_OVERLAP_MS = 24 * 3_600_000;

const WebhookUrl = z
  .string()
  .trim()
  .superRefine((url, ctx) => {
    const problem = webhookUrlProblem(url);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });
const EventTypes = z.array(z.enum(WEBHOOK_EVENT_TYPES)).min(1, "choose at least one event").max(20);

export const NewWebhook = z.object({
  tenantId: z.uuid(),
  url: WebhookUrl,
  description: z.string().trim().max(200).default(""),
  eventTypes: EventTypes,
});
export type NewWebhook = z.output<typeof NewWebhook>;

export const WebhookChanges = z.object({
  webhookId: z.uuid(),
  url: WebhookUrl.optional(),
  description: z.string().trim().max(200).optional(),
  eventTypes: EventTypes.optional(),
  enabled: z.boolean().optional(),
});
export type WebhookChanges = z.output<typeof WebhookChanges>;

export interface WebhookView {
  id: string;
  url: string;
  description: string;
  eventTypes: string[];
  enabled: boolean;
  disabledReason: string | null;
  domain: DomainRef;
  createdBy: string;
  createdAt: Date;
  /** When the secret before the last rotation stops signing; null when only one secret is in use. */
  previousSecretExpiresAt: Date | null;
  pendingDeliveries: number;
  failedDeliveries: number;
}

export interface WebhookDeliveryView {
  id: string;
  messageId: string;
  eventType: string;
  state: WebhookDeliveryState;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  nextAttemptAt: Date | null;
  retryUntil: Date;
  deliveredAt: Date | null;
  createdAt: Date;
  body: string;
  history: { at: string; status: number | null; error: string | null; durationMs: number }[];
}

function webhookSelect(now: Date) {
  return {
    id: true,
    url: true,
    description: true,
    eventTypes: true,
    enabled: true,
    disabledReason: true,
    createdBy: true,
    createdAt: true,
    tenant: { select: DOMAIN_SELECT },
    secrets: { where: { expiresAt: { gt: now } }, select: { expiresAt: true } },
    _count: {
      select: {
        deliveries: { where: { state: "pending" as const } },
      },
    },
  } as const;
}

type WebhookRow = Prisma.WebhookGetPayload<{ select: ReturnType<typeof webhookSelect> }>;

async function toViews(db: ScopedDb, rows: WebhookRow[]): Promise<WebhookView[]> {
  const domains = new Map(
    (
      await withDomainPaths(
        db,
        rows.map((r) => r.tenant),
      )
    ).map((d) => [d.id, d]),
  );
  const failed = rows.length
    ? await db.webhookDelivery.groupBy({
        by: ["webhookId"],
        where: { webhookId: { in: rows.map((r) => r.id) }, state: "failed" },
        _count: { _all: true },
      })
    : [];
  const failedBy = new Map(failed.map((f) => [f.webhookId, f._count._all]));
  return rows.map(({ tenant, secrets, _count, ...row }) => ({
    ...row,
    domain: domains.get(tenant.id)!,
    previousSecretExpiresAt: secrets[0]?.expiresAt ?? null,
    pendingDeliveries: _count.deliveries,
    failedDeliveries: failedBy.get(row.id) ?? 0,
  }));
}

async function ownedDomain(db: ScopedDb, access: TenantAccess, tenantId: string, what: string) {
  const domain = await db.tenant.findUnique({ where: { id: tenantId }, select: { id: true, ancestorIds: true } });
  if (!domain) throw new NotFound("domain");
  requireOwner(access, domain, what);
  return domain;
}

async function ownedWebhook(db: ScopedDb, access: TenantAccess, webhookId: string, what: string) {
  const webhook = await db.webhook.findUnique({
    where: { id: webhookId },
    select: { id: true, url: true, tenantId: true, tenant: { select: { ancestorIds: true } } },
  });
  if (!webhook) throw new NotFound("webhook");
  requireOwner(access, webhook.tenant, what);
  return webhook;
}

/** Creates a webhook; the answer carries its signing secret, which is never shown again. */
export async function createWebhook(
  db: ScopedDb,
  access: TenantAccess,
  input: NewWebhook,
  now = new Date(),
): Promise<{ secret: string; webhook: WebhookView }> {
  const domain = await ownedDomain(db, access, input.tenantId, "add webhooks");
  const secret = newWebhookSecret();
  const created = await db.$transaction(async (tx) => {
    const webhook = await tx.webhook.create({
      data: {
        tenantId: domain.id,
        url: input.url,
        description: input.description,
        eventTypes: [...new Set(input.eventTypes)],
        createdBy: access.actor.label,
      },
      select: { id: true },
    });
    await tx.webhookSecret.create({ data: { tenantId: domain.id, webhookId: webhook.id, secret } });
    await appendAudit(tx, {
      tenantId: domain.id,
      actorId: access.actor.id,
      actorLabel: access.actor.label,
      action: "webhook.create",
      targetType: "webhook",
      targetId: webhook.id,
      after: { url: input.url, eventTypes: input.eventTypes },
    });
    return tx.webhook.findUniqueOrThrow({ where: { id: webhook.id }, select: webhookSelect(now) });
  });
  return { secret, webhook: (await toViews(db, [created]))[0]! };
}

/** The webhooks of a domain and of every domain below it. */
export async function listWebhooks(
  db: ScopedDb,
  access: TenantAccess,
  input: { tenantId: string },
  now = new Date(),
): Promise<WebhookView[]> {
  const domain = await ownedDomain(db, access, input.tenantId, "see its webhooks");
  const rows = await db.webhook.findMany({
    where: { tenant: { ancestorIds: { has: domain.id } } },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    take: 200,
    select: webhookSelect(now),
  });
  return toViews(db, rows);
}

/** Changes a webhook's URL, description, events or whether it is enabled; enabling it clears why it was disabled. */
export async function updateWebhook(
  db: ScopedDb,
  access: TenantAccess,
  input: WebhookChanges,
  now = new Date(),
): Promise<WebhookView> {
  const webhook = await ownedWebhook(db, access, input.webhookId, "change its webhooks");
  const data: { url?: string; description?: string; eventTypes?: string[]; enabled?: boolean; disabledReason?: null } =
    {};
  if (input.url !== undefined) data.url = input.url;
  if (input.description !== undefined) data.description = input.description;
  if (input.eventTypes !== undefined) data.eventTypes = [...new Set(input.eventTypes)];
  if (input.enabled !== undefined) {
    data.enabled = input.enabled;
    if (input.enabled) data.disabledReason = null;
  }
  const updated = await db.$transaction(async (tx) => {
    const row = await tx.webhook.update({ where: { id: webhook.id }, data, select: webhookSelect(now) });
    await appendAudit(tx, {
      tenantId: webhook.tenantId,
      actorId: access.actor.id,
      actorLabel: access.actor.label,
      action: "webhook.update",
      targetType: "webhook",
      targetId: webhook.id,
      after: { ...data },
    });
    return row;
  });
  return (await toViews(db, [updated]))[0]!;
}

export async function deleteWebhook(db: ScopedDb, access: TenantAccess, input: { webhookId: string }): Promise<void> {
  const webhook = await ownedWebhook(db, access, input.webhookId, "delete its webhooks");
  await db.$transaction(async (tx) => {
    await tx.webhook.delete({ where: { id: webhook.id } });
    await appendAudit(tx, {
      tenantId: webhook.tenantId,
      actorId: access.actor.id,
      actorLabel: access.actor.label,
      action: "webhook.delete",
      targetType: "webhook",
      targetId: webhook.id,
      before: { url: webhook.url },
    });
  });
}

/**
 * A new signing secret, shown once. The current one keeps signing for WEBHOOK_SECRET_OVERLAP_MS, so deliveries
 * carry two signatures until the receiver has switched; one rotated out before that stops at once, so that never
 * more than two secrets sign.
 */
export async function rotateWebhookSecret(
  db: ScopedDb,
  access: TenantAccess,
  input: { webhookId: string },
  now = new Date(),
): Promise<{ secret: string; previousSecretExpiresAt: Date }> {
  const webhook = await ownedWebhook(db, access, input.webhookId, "rotate webhook secrets");
  const secret = newWebhookSecret();
  const previousSecretExpiresAt = new Date(now.getTime() + WEBHOOK_SECRET_OVERLAP_MS);
  await db.$transaction(async (tx) => {
    await tx.webhookSecret.updateMany({
      where: { webhookId: webhook.id, expiresAt: { gt: now } },
      data: { expiresAt: now },
    });
    await tx.webhookSecret.updateMany({
      where: { webhookId: webhook.id, expiresAt: null },
      data: { expiresAt: previousSecretExpiresAt },
    });
    await tx.webhookSecret.create({ data: { tenantId: webhook.tenantId, webhookId: webhook.id, secret } });
    await appendAudit(tx, {
      tenantId: webhook.tenantId,
      actorId: access.actor.id,
      actorLabel: access.actor.label,
      action: "webhook.rotate-secret",
      targetType: "webhook",
      targetId: webhook.id,
      after: { previousSecretExpiresAt: previousSecretExpiresAt.toISOString() },
    });
  });
  return { secret, previousSecretExpiresAt };
}

const DELIVERY_SELECT = {
  id: true,
  messageId: true,
  eventType: true,
  state: true,
  attempts: true,
  lastStatus: true,
  lastError: true,
  nextAttemptAt: true,
  retryUntil: true,
  deliveredAt: true,
  createdAt: true,
  body: true,
  history: true,
} as const;

type DeliveryRow = Prisma.WebhookDeliveryGetPayload<{ select: typeof DELIVERY_SELECT }>;

function deliveryView(row: DeliveryRow): WebhookDeliveryView {
  const history = Array.isArray(row.history) ? (row.history as WebhookDeliveryView["history"]) : [];
  return { ...row, history };
}

/** A webhook's deliveries, newest first. */
export async function listWebhookDeliveries(
  db: ScopedDb,
  access: TenantAccess,
  input: { webhookId: string; state?: WebhookDeliveryState; limit?: number },
): Promise<WebhookDeliveryView[]> {
  const webhook = await ownedWebhook(db, access, input.webhookId, "see its webhook deliveries");
  const rows = await db.webhookDelivery.findMany({
    where: { webhookId: webhook.id, ...(input.state ? { state: input.state } : {}) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: Math.min(input.limit ?? 50, 200),
    select: DELIVERY_SELECT,
  });
  return rows.map(deliveryView);
}

/**
 * Sends a delivery again as soon as the dispatcher comes round, with the same webhook-id (the receiver may drop it
 * as a duplicate if it did process it) and a fresh 72 hours of retries.
 */
export async function replayWebhookDelivery(
  db: ScopedDb,
  access: TenantAccess,
  input: { deliveryId: string },
  now = new Date(),
): Promise<WebhookDeliveryView> {
  const delivery = await db.webhookDelivery.findUnique({
    where: { id: input.deliveryId },
    select: { id: true, webhookId: true, tenantId: true, eventType: true, state: true },
  });
  if (!delivery) throw new NotFound("webhook delivery");
  await ownedWebhook(db, access, delivery.webhookId, "replay webhook deliveries");
  if (delivery.state === "pending") throw new Invalid("this delivery is still being attempted");
  return db.$transaction(async (tx) => {
    const row = await tx.webhookDelivery.update({
      where: { id: delivery.id },
      data: {
        state: "pending",
        nextAttemptAt: now,
        retryUntil: new Date(now.getTime() + WEBHOOK_RETRY_WINDOW_MS),
        deliveredAt: null,
      },
      select: DELIVERY_SELECT,
    });
    await appendAudit(tx, {
      tenantId: delivery.tenantId,
      actorId: access.actor.id,
      actorLabel: access.actor.label,
      action: "webhook.replay",
      targetType: "webhookDelivery",
      targetId: delivery.id,
      after: { eventType: delivery.eventType, previousState: delivery.state },
    });
    return deliveryView(row);
  });
}

/** Queues a "webhook.test" message, so that an integrator can check their endpoint and signature code. */
export async function sendTestWebhook(
  db: ScopedDb,
  access: TenantAccess,
  input: { webhookId: string },
  now = new Date(),
): Promise<WebhookDeliveryView> {
  const webhook = await ownedWebhook(db, access, input.webhookId, "test its webhooks");
  const row = await db.webhookDelivery.create({
    data: {
      tenantId: webhook.tenantId,
      webhookId: webhook.id,
      eventType: WEBHOOK_TEST_EVENT,
      messageId: newWebhookMessageId(),
      body: webhookBody(WEBHOOK_TEST_EVENT, now, { domainId: webhook.tenantId, webhookId: webhook.id }),
      nextAttemptAt: now,
      retryUntil: new Date(now.getTime() + WEBHOOK_RETRY_WINDOW_MS),
    },
    select: DELIVERY_SELECT,
  });
  return deliveryView(row);
}
