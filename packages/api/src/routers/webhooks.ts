import {
  createWebhook,
  deleteWebhook,
  listWebhookDeliveries,
  listWebhooks,
  NewWebhook,
  replayWebhookDelivery,
  rotateWebhookSecret,
  sendTestWebhook,
  updateWebhook,
  WebhookChanges,
} from "@beacon/domain";
import { z } from "zod";
import { router, tenantProcedure } from "../trpc.ts";

const WebhookId = z.object({ webhookId: z.uuid() });

/** A domain's webhooks and their deliveries; owners manage them (the domain functions check it). */
export const webhooksRouter = router({
  list: tenantProcedure
    .meta({
      rest: {
        method: "GET",
        path: "/domains/{tenantId}/webhooks",
        operationId: "listWebhooks",
        tag: "Webhooks",
        summary: "A domain's webhooks",
        permission: "tenant.manage",
      },
    })
    .input(z.object({ tenantId: z.uuid() }))
    .query(({ ctx, input }) => listWebhooks(ctx.db, ctx.access, input)),
  create: tenantProcedure
    .meta({
      rest: {
        method: "POST",
        path: "/domains/{tenantId}/webhooks",
        operationId: "createWebhook",
        tag: "Webhooks",
        summary: "Subscribe a URL to events; the signing secret is in this answer only",
        permission: "tenant.manage",
        status: 201,
      },
    })
    .input(NewWebhook)
    .mutation(({ ctx, input }) => createWebhook(ctx.db, ctx.access, input)),
  update: tenantProcedure
    .meta({
      rest: {
        method: "PATCH",
        path: "/webhooks/{webhookId}",
        operationId: "updateWebhook",
        tag: "Webhooks",
        summary: "Enable, disable or change the events of a webhook",
        permission: "tenant.manage",
      },
    })
    .input(WebhookChanges)
    .mutation(({ ctx, input }) => updateWebhook(ctx.db, ctx.access, input)),
  delete: tenantProcedure
    .meta({
      rest: {
        method: "DELETE",
        path: "/webhooks/{webhookId}",
        operationId: "deleteWebhook",
        tag: "Webhooks",
        summary: "Delete a webhook and its deliveries",
        status: 204,
        permission: "tenant.manage",
      },
    })
    .input(WebhookId)
    .mutation(({ ctx, input }) => deleteWebhook(ctx.db, ctx.access, input)),
  rotateSecret: tenantProcedure
    .meta({
      rest: {
        method: "POST",
        path: "/webhooks/{webhookId}/rotate-secret",
        operationId: "rotateWebhookSecret",
        tag: "Webhooks",
        summary: "A new signing secret (shown once); both are signed with until the old one expires",
        permission: "tenant.manage",
      },
    })
    .input(WebhookId)
    .mutation(({ ctx, input }) => rotateWebhookSecret(ctx.db, ctx.access, input)),
  sendTest: tenantProcedure
    .meta({
      rest: {
        method: "POST",
        path: "/webhooks/{webhookId}/test",
        operationId: "sendTestWebhook",
        tag: "Webhooks",
        summary: "Queue a webhook.test message to the webhook",
        permission: "tenant.manage",
      },
    })
    .input(WebhookId)
    .mutation(({ ctx, input }) => sendTestWebhook(ctx.db, ctx.access, input)),
  deliveries: tenantProcedure
    .meta({
      rest: {
        method: "GET",
        path: "/webhooks/{webhookId}/deliveries",
        operationId: "listWebhookDeliveries",
        tag: "Webhooks",
        summary: "A webhook's deliveries, newest first",
        permission: "tenant.manage",
      },
    })
    .input(
      WebhookId.extend({
        state: z.enum(["pending", "delivered", "failed"]).optional(),
        limit: z.number().int().min(1).max(200).optional(),
      }),
    )
    .query(({ ctx, input }) => listWebhookDeliveries(ctx.db, ctx.access, input)),
  replay: tenantProcedure
    .meta({
      rest: {
        method: "POST",
        path: "/webhook-deliveries/{deliveryId}/replay",
        operationId: "replayWebhookDelivery",
        tag: "Webhooks",
        summary: "Send a delivery again",
        permission: "tenant.manage",
      },
    })
    .input(z.object({ deliveryId: z.uuid() }))
    .mutation(({ ctx, input }) => replayWebhookDelivery(ctx.db, ctx.access, input)),
});
