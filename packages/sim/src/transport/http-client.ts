import http, { type IncomingHttpHeaders } from "node:http";
import https from "node:https";
import { CookieJar } from "./cookie-jar.ts";
import { basicAuthorization, type Challenge, DigestSession, parseChallenges, preferredChallenge } from "./http-auth.ts";

export interface HttpClientOptions {
  readonly username?: string;
  readonly password?: string;
  readonly userAgent?: string;
  /** Per request, from sending to the last byte of the answer. Default 30 s. */
  readonly timeoutMs?: number;
  /** For https URLs; default true. Test ACSes use self-signed certificates. */
  readonly rejectUnauthorized?: boolean;
  /** Which challenge to answer (CpeStackQuirks.digestChallenge); default "preferred". */
  readonly digestChallenge?: "preferred" | "first" | "last-md5";
}

export interface HttpReply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  /** Where the request finally went, after redirects. */
  readonly url: string;
}

export class HttpError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = "HttpError";
  }
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * An HTTP client the way a CPE's stack behaves within one CWMP session or one file transfer: one
 * keep-alive connection, cookies kept, and authentication answered when challenged (Digest preferred,
 * then reused with an incrementing nonce count; Basic sent pre-emptively once accepted).
 */
export class HttpClient {
  /** Every HTTP status received, 401s included, in order. */
  readonly statuses: number[] = [];
  private readonly jar = new CookieJar();
  private readonly agent: http.Agent;
  private readonly secureAgent: https.Agent;
  private auth: { readonly kind: "basic" } | { readonly kind: "digest"; readonly session: DigestSession } | undefined;

  constructor(private readonly options: HttpClientOptions = {}) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    this.secureAgent = new https.Agent({
      keepAlive: true,
      maxSockets: 1,
      rejectUnauthorized: options.rejectUnauthorized ?? true,
    });
  }

  async request(
    method: string,
    url: string,
    body: string | Buffer = "",
    headers: Readonly<Record<string, string>> = {},
  ): Promise<HttpReply> {
    let target = url;
    let sentAuthorization = false;
    for (let attempt = 0; attempt < 8; attempt++) {
      const authorization = this.authorizationFor(method, target);
      sentAuthorization = authorization !== undefined;
      const reply = await this.send(method, target, body, {
        ...headers,
        ...(authorization ? { authorization } : {}),
      });
      this.statuses.push(reply.status);
      if (REDIRECTS.has(reply.status) && typeof reply.headers.location === "string") {
        target = new URL(reply.headers.location, target).toString();
        continue;
      }
      if (reply.status !== 401 || this.options.username === undefined) return reply;

      const challenge = pickChallenge(parseChallenges(authenticateHeaders(reply)), this.options.digestChallenge);
      if (!challenge) return reply;
      const stale = challenge.params.stale?.toLowerCase() === "true";
      if (sentAuthorization && !stale) return reply;
      if (challenge.scheme === "basic") {
        if (sentAuthorization) return reply;
        this.auth = { kind: "basic" };
      } else if (stale && this.auth?.kind === "digest") {
        this.auth.session.renew(challenge);
      } else {
        this.auth = {
          kind: "digest",
          session: new DigestSession(challenge, this.options.username, this.options.password ?? "", {
            alwaysMd5: this.options.digestChallenge === "last-md5",
          }),
        };
      }
    }
    throw new HttpError(`${method} ${url}: too many redirects or authentication rounds`);
  }

  /** Closes the connection, abruptly if a request is in flight. */
  destroy(): void {
    this.agent.destroy();
    this.secureAgent.destroy();
  }

  private authorizationFor(method: string, url: string): string | undefined {
    if (!this.auth) return undefined;
    if (this.auth.kind === "basic") return basicAuthorization(this.options.username ?? "", this.options.password ?? "");
    const u = new URL(url);
    return this.auth.session.authorization(method, `${u.pathname}${u.search}`);
  }

  private send(
    method: string,
    url: string,
    body: string | Buffer,
    headers: Readonly<Record<string, string>>,
  ): Promise<HttpReply> {
    const u = new URL(url);
    const secure = u.protocol === "https:";
    if (!secure && u.protocol !== "http:") {
      return Promise.reject(new HttpError(`unsupported protocol ${u.protocol}`, "EPROTO"));
    }
    const payload = typeof body === "string" ? Buffer.from(body, "utf8") : body;
    const cookie = this.jar.header();
    const allHeaders: Record<string, string> = {
      ...(this.options.userAgent ? { "user-agent": this.options.userAgent } : {}),
      ...headers,
      "content-length": String(payload.length),
      ...(cookie ? { cookie } : {}),
    };
    return new Promise<HttpReply>((resolve, reject) => {
      const request = (secure ? https : http).request(
        url,
        { method, headers: allHeaders, agent: secure ? this.secureAgent : this.agent },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("error", reject);
          response.on("end", () => {
            this.jar.store(response.headers["set-cookie"]);
            resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks), url });
          });
        },
      );
      request.setTimeout(this.options.timeoutMs ?? 30_000, () => {
        request.destroy(new HttpError(`${method} ${url}: no answer within ${this.options.timeoutMs ?? 30_000} ms`));
      });
      request.on("error", (e: NodeJS.ErrnoException) =>
        reject(e instanceof HttpError ? e : new HttpError(`${method} ${url}: ${e.message}`, e.code)),
      );
      request.end(payload);
    });
  }
}

function pickChallenge(
  challenges: readonly Challenge[],
  pick: HttpClientOptions["digestChallenge"],
): Challenge | undefined {
  if (pick === "first") return challenges[0];
  if (pick === "last-md5") return challenges.at(-1);
  return preferredChallenge(challenges);
}

/** Each WWW-Authenticate header separately (Node joins repeated headers with ", "). */
function authenticateHeaders(reply: HttpReply): string[] {
  const value = reply.headers["www-authenticate"];
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
