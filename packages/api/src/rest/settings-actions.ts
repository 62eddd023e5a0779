import type { Tenancy } from "@beacon/domain";
import { INTERNAL_PROBLEM, PROBLEM_CODES, problemOf } from "../errors.ts";
import { appRouter } from "../root.ts";
import { createCallerFactory } from "../trpc.ts";

/**
 * What the console's "API & webhooks" settings page calls, through Next server actions (which check the request's
 * origin): each action is one call of the same tRPC procedure the REST API serves (apiTokens.*, webhooks.*), as
 * the signed-in user, and errors come back as a status and a sentence instead of being thrown across the action
 * boundary.
 */

export interface SettingsContext {
  tenancy: Tenancy;
  /** The signed-in user's id from a session the app has already verified; null when signed out. */
  sessionUserId: string | null;
  onInternalError?: (error: unknown) => void;
}

export type SettingsResult<T> = { ok: true; value: T } | { ok: false; status: number; message: string };

const createCaller = createCallerFactory(appRouter);
type Caller = ReturnType<typeof createCaller>;

async function settle<T>(ctx: SettingsContext, work: (caller: Caller) => Promise<T>): Promise<SettingsResult<T>> {
  try {
    return { ok: true, value: await work(createCaller({ tenancy: ctx.tenancy, sessionUserId: ctx.sessionUserId })) };
  } catch (error) {
    const problem = problemOf(error);
    if (!problem) ctx.onInternalError?.(error);
    const { code, detail } = problem ?? INTERNAL_PROBLEM;
    return { ok: false, status: PROBLEM_CODES[code].status, message: detail };
  }
}

// The inputs are untrusted (a server action's arguments): the procedures parse them, hence `as never`.
export const integrationSettings = {
  listApiTokens: (ctx: SettingsContext, input: unknown) => settle(ctx, (c) => c.apiTokens.list(input as never)),
  createApiToken: (ctx: SettingsContext, input: unknown) => settle(ctx, (c) => c.apiTokens.create(input as never)),
  revokeApiToken: (ctx: SettingsContext, input: unknown) => settle(ctx, (c) => c.apiTokens.revoke(input as never)),
  listWebhooks: (ctx: SettingsContext, input: unknown) => settle(ctx, (c) => c.webhooks.list(input as never)),
  createWebhook: (ctx: SettingsContext, input: unknown) => settle(ctx, (c) => c.webhooks.create(input as never)),
  updateWebhook: (ctx: SettingsContext, input: unknown) => settle(ctx, (c) => c.webhooks.update(input as never)),
  deleteWebhook: (ctx: SettingsContext, input: unknown) => settle(ctx, (c) => c.webhooks.delete(input as never)),
  rotateWebhookSecret: (ctx: SettingsContext, input: unknown) =>
    settle(ctx, (c) => c.webhooks.rotateSecret(input as never)),
  sendTestWebhook: (ctx: SettingsContext, input: unknown) => settle(ctx, (c) => c.webhooks.sendTest(input as never)),
  listWebhookDeliveries: (ctx: SettingsContext, input: unknown) =>
    settle(ctx, (c) => c.webhooks.deliveries(input as never)),
  replayWebhookDelivery: (ctx: SettingsContext, input: unknown) =>
    settle(ctx, (c) => c.webhooks.replay(input as never)),
};
