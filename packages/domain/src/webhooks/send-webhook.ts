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
 * (rather than resolving once up front) also defeats DNS rebinding. Every outgoing call to an address someone
 * configured (webhooks, a PMS's API) connects through it.
 */
export const guardedLookup: LookupFunction = (hostname: string, options: LookupOptions, callback) => {
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
  const privateHost = options.allowPrivateNetworks ? null : privateLiteral(url);
  if (privateHost) return answer(null, `${privateHost} is a private address; deliveries go to public addresses only`);
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
      resolve(answer(null, timedOut(error) ? `no answer within ${options.timeoutMs / 1000} s` : error.message));
    });
    outgoing.end(request.body);
  });
}

export interface JsonCall {
  method: "GET" | "POST";
  headers?: Record<string, string>;
  /** Sent as JSON. */
  body?: object;
  timeoutMs: number;
  allowPrivateNetworks: boolean;
}

/**
 * Calls an API at an address someone configured and reads its JSON answer: private addresses refused at connect
 * time unless allowed (guardedLookup), no redirects followed, the answer's size bounded. Throws a sentence.
 */
export async function callJsonApi(url: string, call: JsonCall): Promise<{ status: number; body: unknown }> {
  const target = new URL(url);
  const privateHost = call.allowPrivateNetworks ? null : privateLiteral(target);
  if (privateHost) throw new Error(`${privateHost} is a private address; only public addresses are called`);
  const payload = call.body === undefined ? undefined : JSON.stringify(call.body);
  const send = target.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const outgoing = send(
      target,
      {
        method: call.method,
        headers: {
          accept: "application/json",
          ...(payload === undefined
            ? {}
            : { "content-type": "application/json", "content-length": String(Buffer.byteLength(payload)) }),
          ...call.headers,
        },
        signal: AbortSignal.timeout(call.timeoutMs),
        ...(call.allowPrivateNetworks ? {} : { lookup: guardedLookup }),
      },
      (response: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_JSON_ANSWER_BYTES) {
            response.destroy();
            reject(new Error(`the answer of ${target.host} is larger than ${MAX_JSON_ANSWER_BYTES / 1024 / 1024} MB`));
          } else chunks.push(chunk);
        });
        response.on("error", () => reject(new Error(`the answer of ${target.host} broke off`)));
        response.on("end", () => {
          let body: unknown = null;
          try {
            body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
          } catch {
            // not JSON: the caller says what it expected
          }
          resolve({ status: response.statusCode ?? 0, body });
        });
      },
    );
    outgoing.on("error", (error: Error) => {
      reject(
        new Error(timedOut(error) ? `${target.host} did not answer within ${call.timeoutMs / 1000} s` : error.message),
      );
    });
    outgoing.end(payload);
  });
}

const MAX_JSON_ANSWER_BYTES = 4 * 1024 * 1024;

/** The URL's host when it is a literal private address (a name is checked at connect time, by guardedLookup). */
function privateLiteral(url: URL): string | null {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  return isIP(host) && !isPublicAddress(host) ? host : null;
}

function timedOut(error: Error): boolean {
  return error.name === "AbortError" || error.name === "TimeoutError";
}
