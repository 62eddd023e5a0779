import { createHmac, randomBytes } from "node:crypto";

/**
 * Standard Webhooks (https://www.standardwebhooks.com, "Signature scheme"): a message is signed as
 * "<webhook-id>.<webhook-timestamp>.<body>" with HMAC-SHA256 keyed by the base64-decoded part of a "whsec_" secret;
 * webhook-signature lists "v1,<base64 signature>" entries separated by spaces, one per secret in use, which lets
 * a receiver accept either secret while a rotation is under way.
 */

export const WEBHOOK_SECRET_PREFIX = "whsec_";

/** 32 random bytes: the specification asks for 24 to 64. */
export function newWebhookSecret(): string {
  return `${WEBHOOK_SECRET_PREFIX}${randomBytes(32).toString("base64")}`;
}

/** A webhook-id: unique per message, the same for every attempt, free of the "." that separates signed parts. */
export function newWebhookMessageId(): string {
  return `msg_${randomBytes(18).toString("base64url")}`;
}

function secretKey(secret: string): Buffer {
  const encoded = secret.startsWith(WEBHOOK_SECRET_PREFIX) ? secret.slice(WEBHOOK_SECRET_PREFIX.length) : secret;
  return Buffer.from(encoded, "base64");
}

export interface SignedContent {
  messageId: string;
  /** Seconds since the epoch, as sent in webhook-timestamp. */
  timestamp: number;
  body: string;
}

export function webhookSignature(secret: string, content: SignedContent): string {
  const signed = `${content.messageId}.${content.timestamp}.${content.body}`;
  return `v1,${createHmac("sha256", secretKey(secret)).update(signed, "utf8").digest("base64")}`;
}

/** The three Standard Webhooks headers for one attempt, signed with every secret given. */
export function webhookHeaders(secrets: readonly string[], content: SignedContent): Record<string, string> {
  return {
    "webhook-id": content.messageId,
    "webhook-timestamp": String(content.timestamp),
    "webhook-signature": secrets.map((secret) => webhookSignature(secret, content)).join(" "),
  };
}
