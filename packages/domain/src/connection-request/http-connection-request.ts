import { createHash, randomBytes } from "node:crypto";
import { parseAuthParams } from "../cpe-auth/digest.ts";

/** How a connection request went; stored on the task as wakeOutcome. */
export type WakeOutcome =
  | "woken"
  | "busy"
  | "auth-rejected"
  | "unreachable"
  | "timeout"
  | "failed"
  | "udp-sent"
  | "no-address";

export interface ConnectionRequestCredentials {
  username: string | null;
  password: string | null;
}

const TIMEOUT_MS = 5_000;

/**
 * TR-069 3.2.2: an HTTP GET to the CPE's ConnectionRequestURL, answering its Digest (or Basic) challenge
 * with the credentials Beacon set. 200/204 means the CPE will open a session; redirects are not followed,
 * since the URL comes from the CPE.
 */
export async function httpConnectionRequest(
  url: string,
  credentials: ConnectionRequestCredentials,
  timeoutMs = TIMEOUT_MS,
): Promise<{ outcome: WakeOutcome; detail?: string }> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return { outcome: "failed", detail: `not a URL: ${url}` };
  }
  if (target.protocol !== "http:" && target.protocol !== "https:") {
    return { outcome: "failed", detail: `unsupported scheme ${target.protocol}` };
  }
  try {
    const first = await get(target, undefined, timeoutMs);
    if (first.status !== 401) return { outcome: outcomeOf(first.status), detail: `HTTP ${first.status}` };
    if (!credentials.username || credentials.password === null) {
      return { outcome: "auth-rejected", detail: "the CPE asks for credentials Beacon does not have" };
    }
    const authorization = answerChallenge(first.challenges, target, credentials.username, credentials.password);
    if (!authorization) return { outcome: "auth-rejected", detail: "unsupported authentication challenge" };
    const second = await get(target, authorization, timeoutMs);
    return {
      outcome: second.status === 401 ? "auth-rejected" : outcomeOf(second.status),
      detail: `HTTP ${second.status}`,
    };
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name === "TimeoutError" || name === "AbortError") return { outcome: "timeout" };
    return { outcome: "unreachable", detail: causeOf(error) };
  }
}

function outcomeOf(status: number): WakeOutcome {
  if (status === 200 || status === 204) return "woken";
  if (status === 503) return "busy";
  return "failed";
}

async function get(url: URL, authorization: string | undefined, timeoutMs: number) {
  const response = await fetch(url, {
    method: "GET",
    headers: authorization ? { authorization } : {},
    redirect: "manual",
    signal: AbortSignal.timeout(timeoutMs),
  });
  await response.arrayBuffer().catch(() => undefined);
  const challenges: string[] = [];
  const header = response.headers.get("www-authenticate");
  if (header) challenges.push(...splitChallenges(header));
  return { status: response.status, challenges };
}

/** fetch joins repeated WWW-Authenticate headers with ", "; split before each scheme name. */
function splitChallenges(header: string): string[] {
  return header.split(/,\s*(?=(?:Digest|Basic)\s)/i).map((c) => c.trim());
}

function answerChallenge(challenges: string[], url: URL, username: string, password: string): string | null {
  const digests = challenges.filter((c) => /^digest\s/i.test(c)).map((c) => parseAuthParams(c.slice(7)));
  const digest =
    digests.find((d) => (d.algorithm ?? "MD5").toUpperCase() === "SHA-256") ??
    digests.find((d) => (d.algorithm ?? "MD5").toUpperCase() === "MD5");
  const uri = `${url.pathname}${url.search}`;
  if (digest?.nonce !== undefined) {
    const algorithm = (digest.algorithm ?? "MD5").toUpperCase() === "SHA-256" ? "sha256" : "md5";
    const h = (s: string) => createHash(algorithm).update(s).digest("hex");
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
      `algorithm=${algorithm === "sha256" ? "SHA-256" : "MD5"}`,
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
    return `Digest ${parts.join(", ")}`;
  }
  if (challenges.some((c) => /^basic(\s|$)/i.test(c))) {
    return `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
  }
  return null;
}

function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}
