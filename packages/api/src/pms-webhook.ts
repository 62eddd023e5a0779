import type { PmsWebhookReceiver } from "@beacon/domain";
import { INTERNAL_PROBLEM, problemResponse, toJson } from "./errors.ts";

/** Larger than any reservation event a PMS sends; a bigger body is refused before it is read whole. */
export const PMS_WEBHOOK_MAX_BYTES = 64 * 1024;

export interface PmsWebhookOptions {
  receiver: PmsWebhookReceiver;
  connectorId: string;
  maxBytes?: number;
  onInternalError?: (error: unknown) => void;
}

/**
 * `POST /api/pms/{connectorId}/webhook`: a cloud PMS's event. No session and no API token: the connector's secret
 * (or a signature made with it) authenticates the call (packages/domain/src/pms/pms-webhooks.ts). Problems are
 * RFC 9457 documents with the API's stable codes.
 */
export async function handlePmsWebhook(request: Request, options: PmsWebhookOptions): Promise<Response> {
  if (request.method !== "POST") {
    return problemResponse({ code: "method_not_allowed", detail: "A PMS webhook is a POST." }, { allow: "POST" });
  }
  const maxBytes = options.maxBytes ?? PMS_WEBHOOK_MAX_BYTES;
  const body = await readLimited(request, maxBytes);
  if (body === null) {
    return problemResponse({ code: "too_large", detail: `A PMS webhook body is at most ${maxBytes} bytes.` });
  }
  try {
    const outcome = await options.receiver.receive({
      connectorId: options.connectorId,
      url: new URL(request.url),
      headers: request.headers,
      body,
    });
    if (!outcome.ok) {
      const challenge: Record<string, string> =
        outcome.code === "unauthenticated" ? { "www-authenticate": 'Basic realm="beacon-pms"' } : {};
      return problemResponse({ code: outcome.code, detail: outcome.detail }, challenge);
    }
    return new Response(toJson(outcome.result), {
      status: outcome.status,
      headers: { "content-type": "application/json", "cache-control": "no-store" },
    });
  } catch (error) {
    options.onInternalError?.(error);
    return problemResponse(INTERNAL_PROBLEM);
  }
}

/** The body as text, or null when it is longer than `maxBytes` (stopped reading as soon as it is). */
async function readLimited(request: Request, maxBytes: number): Promise<string | null> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) return null;
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}
