import { createHash, randomBytes } from "node:crypto";
import net from "node:net";
import tls from "node:tls";
import { parseAuthParams } from "../cpe-auth/digest.ts";
import {
  type ConnectionRequestTargets,
  DEFAULT_CONNECTION_REQUEST_TARGETS,
  resolveTarget,
} from "./connection-request-targets.ts";

/** How a connection request went; stored on the task as wakeOutcome, with the detail as wakeDetail. */
export type WakeOutcome =
  | "woken"
  | "busy"
  | "auth-rejected"
  /** Beacon would not send it: a refused address, or Basic over plain HTTP. */
  | "refused"
  | "unreachable"
  | "timeout"
  | "failed"
  | "udp-sent"
  | "no-address";

export interface ConnectionRequestCredentials {
  username: string | null;
  password: string | null;
}

export interface ConnectionRequestOptions {
  /** Where requests may go; default: loopback, link-local and the like refused. */
  targets?: ConnectionRequestTargets;
  /** Answer a Basic-only challenge over plain HTTP (BEACON_CWMP_ALLOW_BASIC): it sends the password readable. */
  allowBasic?: boolean;
  timeoutMs?: number;
}

export interface ConnectionRequestResult {
  outcome: WakeOutcome;
  /** What happened on the wire: status lines, the challenge seen, or why nothing was sent. */
  detail?: string;
}

const TIMEOUT_MS = 5_000;
const MAX_HEAD_BYTES = 16 * 1024;

/**
 * TR-069 3.2.2: an HTTP GET to the CPE's ConnectionRequestURL, answering its Digest (or, over TLS or when
 * allowed, Basic) challenge with the credentials Beacon set. 200/204 means the CPE will open a session;
 * redirects are not followed, since the URL comes from the CPE.
 *
 * Written by hand over a socket: CPE firmware parses HTTP by hand and some look for the exact text
 * "Authorization: Digest " (fetch sends header names in lower case). Each request goes on a connection of its
 * own, as HTTP/1.1 with conventional header names, Content-Length: 0 and no body.
 */
export async function httpConnectionRequest(
  url: string,
  credentials: ConnectionRequestCredentials,
  options: ConnectionRequestOptions = {},
): Promise<ConnectionRequestResult> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return { outcome: "failed", detail: `not a URL: ${url}` };
  }
  if (target.protocol !== "http:" && target.protocol !== "https:") {
    return { outcome: "failed", detail: `unsupported scheme ${target.protocol}` };
  }
  const secure = target.protocol === "https:";
  const port = Number(target.port || (secure ? 443 : 80));
  const resolved = await resolveTarget(options.targets ?? DEFAULT_CONNECTION_REQUEST_TARGETS, target.hostname, port);
  if (!resolved.ok) return { outcome: resolved.outcome, detail: resolved.detail };
  const send = (authorization?: string) =>
    exchange({ target, address: resolved.address, port, secure, authorization }, options.timeoutMs ?? TIMEOUT_MS);

  const first = await send();
  if (!("status" in first)) return first;
  if (first.status !== 401) return { outcome: outcomeOf(first.status), detail: first.statusLine };
  const seen = `${first.statusLine}, challenged ${describeChallenges(first.challenges)}`;
  if (!credentials.username || credentials.password === null) {
    return { outcome: "auth-rejected", detail: `${seen}; Beacon has no connection-request credentials for this CPE` };
  }
  const answer = answerChallenge(first.challenges, target, credentials.username, credentials.password);
  if (!answer) return { outcome: "auth-rejected", detail: `${seen}; no challenge Beacon can answer` };
  if (answer.scheme === "Basic" && !secure && !options.allowBasic) {
    return {
      outcome: "refused",
      detail: `${seen}; the CPE offers only Basic over plain HTTP, which would send its password readable (BEACON_CWMP_ALLOW_BASIC allows it)`,
    };
  }
  const second = await send(answer.authorization);
  if (!("status" in second)) return { outcome: second.outcome, detail: `${seen}; then ${second.detail}` };
  return {
    outcome: second.status === 401 ? "auth-rejected" : outcomeOf(second.status),
    detail: `${seen}; answered ${answer.label}: ${second.statusLine}`,
  };
}

function outcomeOf(status: number): WakeOutcome {
  if (status === 200 || status === 204) return "woken";
  if (status === 503) return "busy";
  return "failed";
}

interface Answer {
  status: number;
  statusLine: string;
  /** Every WWW-Authenticate header, each as sent. */
  challenges: string[];
}

interface Exchange {
  target: URL;
  /** The resolved address the policy checked. */
  address: string;
  port: number;
  secure: boolean;
  authorization?: string;
}

/** One request on a connection of its own; the answer's head is all a connection request needs. */
function exchange(request: Exchange, timeoutMs: number): Promise<Answer | ConnectionRequestResult> {
  const lines = [`GET ${request.target.pathname}${request.target.search} HTTP/1.1`, `Host: ${request.target.host}`];
  if (request.authorization) lines.push(`Authorization: ${request.authorization}`);
  lines.push("Content-Length: 0", "", "");
  const bytes = lines.join("\r\n");
  return new Promise((resolve) => {
    const hostname = request.target.hostname.replace(/^\[|\]$/g, "");
    const socket = request.secure
      ? tls.connect({
          host: request.address,
          port: request.port,
          ...(net.isIP(hostname) ? {} : { servername: hostname }),
        })
      : net.connect({ host: request.address, port: request.port });
    let received = Buffer.alloc(0);
    let settled = false;
    const finish = (result: Answer | ConnectionRequestResult) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () =>
      finish({ outcome: "timeout", detail: `no answer within ${timeoutMs / 1000} s` }),
    );
    socket.once(request.secure ? "secureConnect" : "connect", () => socket.write(bytes));
    socket.on("data", (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const head = headOf(received);
      if (head !== null) finish(parseHead(head));
      else if (received.length > MAX_HEAD_BYTES) finish({ outcome: "failed", detail: "the answer's head is too long" });
    });
    socket.on("end", () => {
      const head = headOf(received) ?? (received.length > 0 ? received.toString("latin1") : null);
      finish(
        head === null
          ? { outcome: "failed", detail: "the CPE closed the connection without answering" }
          : parseHead(head),
      );
    });
    socket.on("error", (error: NodeJS.ErrnoException) =>
      finish({ outcome: "unreachable", detail: error.code ?? error.message }),
    );
  });
}

function headOf(bytes: Buffer): string | null {
  const crlf = bytes.indexOf("\r\n\r\n");
  const lf = bytes.indexOf("\n\n");
  const end = crlf === -1 ? lf : lf === -1 ? crlf : Math.min(crlf, lf);
  return end === -1 ? null : bytes.subarray(0, end).toString("latin1");
}

function parseHead(head: string): Answer | ConnectionRequestResult {
  const [statusLine = "", ...headerLines] = head.split(/\r?\n/);
  const status = /^HTTP\/\d(?:\.\d)?\s+(\d{3})(?:\s|$)/.exec(statusLine);
  if (!status) return { outcome: "failed", detail: `not an HTTP answer: ${JSON.stringify(statusLine.slice(0, 80))}` };
  const challenges: string[] = [];
  for (const line of headerLines) {
    const colon = line.indexOf(":");
    if (colon > 0 && line.slice(0, colon).trim().toLowerCase() === "www-authenticate") {
      challenges.push(...splitChallenges(line.slice(colon + 1).trim()));
    }
  }
  return { status: Number(status[1]), statusLine: statusLine.trim(), challenges };
}

/** One header may hold several challenges ("Digest ..., Basic ..."): split before each scheme name. */
function splitChallenges(header: string): string[] {
  return header
    .split(/,\s*(?=(?:Digest|Basic)\s)/i)
    .map((c) => c.trim())
    .filter(Boolean);
}

/** The challenges without their nonces, for the task's detail and the log. */
function describeChallenges(challenges: readonly string[]): string {
  if (challenges.length === 0) return "without a WWW-Authenticate header";
  return challenges
    .map((challenge) => {
      const scheme = challenge.split(/\s/, 1)[0] ?? "";
      const params = parseAuthParams(challenge.slice(scheme.length));
      const shown = ["realm", "qop", "algorithm"]
        .filter((k) => params[k] !== undefined)
        .map((k) => `${k}="${params[k]}"`);
      return [scheme, shown.join(", ")].filter(Boolean).join(" ");
    })
    .join(" | ");
}

function answerChallenge(
  challenges: string[],
  url: URL,
  username: string,
  password: string,
): { authorization: string; scheme: "Digest" | "Basic"; label: string } | null {
  const digests = challenges.filter((c) => /^digest\s/i.test(c)).map((c) => parseAuthParams(c.slice(7)));
  const digest =
    digests.find((d) => (d.algorithm ?? "MD5").toUpperCase() === "SHA-256") ??
    digests.find((d) => (d.algorithm ?? "MD5").toUpperCase() === "MD5");
  const uri = `${url.pathname}${url.search}`;
  if (digest?.nonce !== undefined) {
    const sha256 = (digest.algorithm ?? "MD5").toUpperCase() === "SHA-256";
    const h = (s: string) =>
      createHash(sha256 ? "sha256" : "md5")
        .update(s)
        .digest("hex");
    const ha1 = h(`${username}:${digest.realm ?? ""}:${password}`);
    const ha2 = h(`GET:${uri}`);
    const qop = digest.qop
      ?.split(",")
      .map((q) => q.trim())
      .includes("auth");
    const parts = [
      `username="${username}"`,
      `realm="${digest.realm ?? ""}"`,
      `nonce="${digest.nonce}"`,
      `uri="${uri}"`,
      `algorithm=${sha256 ? "SHA-256" : "MD5"}`,
    ];
    if (qop) {
      const cnonce = randomBytes(8).toString("hex");
      const nc = "00000001";
      parts.push(
        `qop=auth`,
        `nc=${nc}`,
        `cnonce="${cnonce}"`,
        `response="${h(`${ha1}:${digest.nonce}:${nc}:${cnonce}:auth:${ha2}`)}"`,
      );
    } else {
      parts.push(`response="${h(`${ha1}:${digest.nonce}:${ha2}`)}"`);
    }
    if (digest.opaque !== undefined) parts.push(`opaque="${digest.opaque}"`);
    return {
      authorization: `Digest ${parts.join(", ")}`,
      scheme: "Digest",
      label: `Digest ${sha256 ? "SHA-256" : "MD5"}`,
    };
  }
  if (challenges.some((c) => /^basic(\s|$)/i.test(c))) {
    return {
      authorization: `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`,
      scheme: "Basic",
      label: "Basic",
    };
  }
  return null;
}
