import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from "node:dns";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { isPublicAddress } from "./webhook-url.ts";

export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface WebhookAnswer {
  /** The HTTP status; null when no answer came (refused, timed out, blocked). */
  status: number | null;
  /** What went wrong, in words; null for a 2xx answer. */
  error: string | null;
  durationMs: number;
}

export interface SendOptions {
  timeoutMs: number;
  /** Lets deliveries reach loopback and private networks: for tests and on-premises receivers. */
  allowPrivateNetworks: boolean;
}

const KEPT_RESPONSE_BYTES = 512;

class BlockedAddress extends Error {}

/**
 * Resolves like dns.lookup but refuses private addresses. Checking the address the socket actually connects to
 * (rather than resolving once up front) also defeats DNS rebinding.
 */
const guardedLookup: LookupFunction = (hostname: string, options: LookupOptions, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
    if (error) return callback(error, []);
    const blocked = addresses.find((a) => !isPublicAddress(a.address));
    if (blocked) {
      return callback(new BlockedAddress(`${hostname} resolves to ${blocked.address}, a private address`), []);
    }
    if (options.all) return callback(null, addresses);
    const first = addresses[0];
    if (!first) return callback(new BlockedAddress(`${hostname} has no address`), []);
    callback(null, first.address, first.family);
  });
};

/** POSTs one signed message; never throws, never follows redirects. */
export async function sendWebhook(request: WebhookRequest, options: SendOptions): Promise<WebhookAnswer> {
  const started = Date.now();
  const answer = (status: number | null, error: string | null): WebhookAnswer => ({
    status,
    error,
    durationMs: Date.now() - started,
  });
  const url = new URL(request.url);
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (!options.allowPrivateNetworks && isIP(host) && !isPublicAddress(host)) {
    return answer(null, `${host} is a private address; deliveries go to public addresses only`);
  }
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise<WebhookAnswer>((resolve) => {
    const outgoing = send(
      url,
      {
        method: "POST",
        headers: {
          ...request.headers,
          "content-type": "application/json",
          "content-length": String(Buffer.byteLength(request.body)),
          "user-agent": "Beacon-Webhooks/1",
        },
        signal: AbortSignal.timeout(options.timeoutMs),
        ...(options.allowPrivateNetworks ? {} : { lookup: guardedLookup }),
      },
      (response: IncomingMessage) => {
        const status = response.statusCode ?? 0;
        const chunks: Buffer[] = [];
        let kept = 0;
        response.on("data", (chunk: Buffer) => {
          if (kept < KEPT_RESPONSE_BYTES) chunks.push(chunk);
          kept += chunk.length;
        });
        response.on("error", () => resolve(answer(status, `the answer broke off after HTTP ${status}`)));
        response.on("end", () => {
          if (status >= 200 && status < 300) return resolve(answer(status, null));
          const text = Buffer.concat(chunks).toString("utf8").slice(0, KEPT_RESPONSE_BYTES).trim();
          resolve(answer(status, `HTTP ${status}${text ? `: ${text}` : ""}`));
        });
      },
    );
    outgoing.on("error", (error: Error) => {
      const timedOut = error.name === "AbortError" || error.name === "TimeoutError";
      resolve(answer(null, timedOut ? `no answer within ${options.timeoutMs / 1000} s` : error.message));
    });
    outgoing.end(request.body);
  });
}
