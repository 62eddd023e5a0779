import {
  createApiToken,
  createWebhook,
  deleteWebhook,
  listApiTokens,
  listWebhookDeliveries,
  listWebhooks,
  NewApiToken,
  NewWebhook,
  replayWebhookDelivery,
  revokeApiToken,
  rotateWebhookSecret,
  type ScopedDb,
  sendTestWebhook,
  type Tenancy,
  type TenantAccess,
  updateWebhook,
  WebhookChanges,
} from "@beacon/domain";
import { z } from "zod";
import { INTERNAL_PROBLEM, problemOf } from "./problems.ts";

/**
 * What the console's "API & webhooks" settings page calls, through Next server actions (which check the request's
 * origin): the session is checked as authedProcedure checks it, the work runs on the tenant-scoped handle, and
 * errors come back as a status and a sentence instead of being thrown across the action boundary.
 */

export interface SettingsContext {
  tenancy: Tenancy;
  /** The signed-in user's id from a session the app has already verified; null when signed out. */
  sessionUserId: string | null;
  onInternalError?: (error: unknown) => void;
}

export type SettingsResult<T> = { ok: true; value: T } | { ok: false; status: number; message: string };

async function asSignedInUser<T>(
  ctx: SettingsContext,
  work: (db: ScopedDb, access: TenantAccess) => Promise<T>,
): Promise<SettingsResult<T>> {
  if (!ctx.sessionUserId) return { ok: false, status: 401, message: "Sign in to continue." };
  const access = await ctx.tenancy.accessFor(ctx.sessionUserId);
  if (!access) return { ok: false, status: 401, message: "Your account is no longer active. Sign in again." };
  try {
    return { ok: true, value: await work(ctx.tenancy.scope(access), access) };
  } catch (error) {
    const problem = problemOf(error);
    if (!problem) ctx.onInternalError?.(error);
    const { status, detail } = problem ?? INTERNAL_PROBLEM;
    return { ok: false, status, message: detail };
  }
}

const DomainInput = z.object({ tenantId: z.uuid() });
const TokenInput = z.object({ tokenId: z.uuid() });
const WebhookInput = z.object({ webhookId: z.uuid() });
const DeliveriesInput = WebhookInput.extend({
  state: z.enum(["pending", "delivered", "failed"]).optional(),
  limit: z.number().int().min(1).max(200).optional(),
});
const DeliveryInput = z.object({ deliveryId: z.uuid() });

/** Each takes the untrusted input of a server action and parses it before anything else. */
export const integrationSettings = {
  listApiTokens: (ctx: SettingsContext, input: unknown) =>
    asSignedInUser(ctx, (db, access) => listApiTokens(db, access, DomainInput.parse(input))),
  createApiToken: (ctx: SettingsContext, input: unknown) =>
    asSignedInUser(ctx, (db, access) => createApiToken(db, access, NewApiToken.parse(input))),
  revokeApiToken: (ctx: SettingsContext, input: unknown) =>
    asSignedInUser(ctx, (db, access) => revokeApiToken(db, access, TokenInput.parse(input))),
  listWebhooks: (ctx: SettingsContext, input: unknown) =>
    asSignedInUser(ctx, (db, access) => listWebhooks(db, access, DomainInput.parse(input))),
  createWebhook: (ctx: SettingsContext, input: unknown) =>
    asSignedInUser(ctx, (db, access) => createWebhook(db, access, NewWebhook.parse(input))),
  updateWebhook: (ctx: SettingsContext, input: unknown) =>
    asSignedInUser(ctx, (db, access) => updateWebhook(db, access, WebhookChanges.parse(input))),
  deleteWebhook: (ctx: SettingsContext, input: unknown) =>
    asSignedInUser(ctx, (db, access) => deleteWebhook(db, access, WebhookInput.parse(input))),
  rotateWebhookSecret: (ctx: SettingsContext, input: unknown) =>
    asSignedInUser(ctx, (db, access) => rotateWebhookSecret(db, access, WebhookInput.parse(input))),
  sendTestWebhook: (ctx: SettingsContext, input: unknown) =>
    asSignedInUser(ctx, (db, access) => sendTestWebhook(db, access, WebhookInput.parse(input))),
  listWebhookDeliveries: (ctx: SettingsContext, input: unknown) =>
    asSignedInUser(ctx, (db, access) => listWebhookDeliveries(db, access, DeliveriesInput.parse(input))),
  replayWebhookDelivery: (ctx: SettingsContext, input: unknown) =>
    asSignedInUser(ctx, (db, access) => replayWebhookDelivery(db, access, DeliveryInput.parse(input))),
};
