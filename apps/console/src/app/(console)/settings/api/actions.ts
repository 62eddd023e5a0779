"use server";

import { integrationSettings, type SettingsContext } from "@beacon/api";
import { createTenancy } from "@beacon/domain";
import { sessionUserId } from "@/server/auth.ts";
import { consoleDb } from "@/server/db.ts";

// Server actions of the "API & webhooks" page; each is one call into @beacon/api, which checks the session.

async function context(): Promise<SettingsContext> {
  return {
    tenancy: createTenancy(consoleDb()),
    sessionUserId: await sessionUserId(),
    onInternalError: (error) => console.error("[settings/api] failed", error),
  };
}

export async function listApiTokensAction(input: { tenantId: string }) {
  return integrationSettings.listApiTokens(await context(), input);
}

export async function createApiTokenAction(input: { tenantId: string; name: string; role: string; expiresAt: string }) {
  return integrationSettings.createApiToken(await context(), input);
}

export async function revokeApiTokenAction(input: { tokenId: string }) {
  return integrationSettings.revokeApiToken(await context(), input);
}

export async function listWebhooksAction(input: { tenantId: string }) {
  return integrationSettings.listWebhooks(await context(), input);
}

export async function createWebhookAction(input: {
  tenantId: string;
  url: string;
  description: string;
  eventTypes: string[];
}) {
  return integrationSettings.createWebhook(await context(), input);
}

export async function updateWebhookAction(input: { webhookId: string; enabled?: boolean; eventTypes?: string[] }) {
  return integrationSettings.updateWebhook(await context(), input);
}

export async function deleteWebhookAction(input: { webhookId: string }) {
  return integrationSettings.deleteWebhook(await context(), input);
}

export async function rotateWebhookSecretAction(input: { webhookId: string }) {
  return integrationSettings.rotateWebhookSecret(await context(), input);
}

export async function sendTestWebhookAction(input: { webhookId: string }) {
  return integrationSettings.sendTestWebhook(await context(), input);
}

export async function listWebhookDeliveriesAction(input: { webhookId: string }) {
  return integrationSettings.listWebhookDeliveries(await context(), input);
}

export async function replayWebhookDeliveryAction(input: { deliveryId: string }) {
  return integrationSettings.replayWebhookDelivery(await context(), input);
}
