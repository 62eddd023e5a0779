import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * HTTP authentication as CPEs do it: Basic (RFC 7617) and Digest (RFC 7616, MD5 and SHA-256, qop=auth),
 * for both roles. The client side authenticates the device to the ACS (and to file servers); the server
 * side checks the ACS's connection requests (TR-069 3.2.2).
 */

export interface Challenge {
  /** Lower case: "digest", "basic", ... */
  readonly scheme: string;
  /** Parameter names lower case, values unquoted. */
  readonly params: Readonly<Record<string, string>>;
}

/**
 * Parses WWW-Authenticate (or Authorization) values. Each value may hold several challenges
 * ("Digest realm=..., Basic realm=...") and a response may carry several headers; pass them all.
 */
export function parseChallenges(values: readonly string[]): Challenge[] {
  const challenges: Challenge[] = [];
  for (const value of values) {
    let k = 0;
    const skip = (chars: string) => {
      while (k < value.length && chars.includes(value[k] as string)) k++;
    };
    const readToken = (): string => {
      const start = k;
      while (k < value.length && !' \t,="'.includes(value[k] as string)) k++;
      return value.slice(start, k);
    };
    while (k < value.length) {
      skip(" \t,");
      const scheme = readToken();
      if (scheme === "") break;
      const params: Record<string, string> = {};
      for (;;) {
        skip(" \t,");
        const mark = k;
        const name = readToken();
        skip(" \t");
        if (name === "" || value[k] !== "=") {
          k = mark;
          break;
        }
        k++;
        skip(" \t");
        let v = "";
        if (value[k] === '"') {
          k++;
          while (k < value.length && value[k] !== '"') {
            if (value[k] === "\\" && k + 1 < value.length) k++;
            v += value[k];
            k++;
          }
          k++;
        } else {
          const start = k;
          while (k < value.length && value[k] !== ",") k++;
          v = value.slice(start, k).trim();
        }
        params[name.toLowerCase()] = v;
      }
      challenges.push({ scheme: scheme.toLowerCase(), params });
    }
  }
  return challenges;
}

export type DigestAlgorithm = "MD5" | "SHA-256";

function hashOf(algorithm: string): "md5" | "sha256" | undefined {
  const a = algorithm.toUpperCase().replace(/-SESS$/, "");
  return a === "MD5" ? "md5" : a === "SHA-256" ? "sha256" : undefined;
}

function h(hash: "md5" | "sha256", text: string): string {
  return createHash(hash).update(text, "utf8").digest("hex");
}

function quote(v: string): string {
  return `"${v.replace(/(["\\])/g, "\\$1")}"`;
}

/** Picks the challenge a CPE would answer: Digest SHA-256, then Digest MD5, then Basic. */
export function preferredChallenge(challenges: readonly Challenge[]): Challenge | undefined {
  const digest = challenges.filter((c) => c.scheme === "digest" && hashOf(c.params.algorithm ?? "MD5"));
  return (
    digest.find((c) => hashOf(c.params.algorithm ?? "MD5") === "sha256") ??
    digest[0] ??
    challenges.find((c) => c.scheme === "basic")
  );
}

export function basicAuthorization(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, "utf8").toString("base64")}`;
}

/**
 * The client half of one Digest protection space: keeps the nonce and its counter, so that every request of
 * a session reuses the nonce with nc incremented (RFC 7616 section 3.4) until the server calls it stale.
 */
export class DigestSession {
  private nc = 0;
  private challenge: Challenge;

  constructor(
    challenge: Challenge,
    private readonly username: string,
    private readonly password: string,
    /** alwaysMd5: declare the challenge's algorithm but compute MD5 (a client library's bug). */
    private readonly quirks: { readonly alwaysMd5?: boolean } = {},
  ) {
    this.challenge = challenge;
  }

  /** A fresh challenge for the same space (stale nonce): new nonce, counter from 1. */
  renew(challenge: Challenge): void {
    this.challenge = challenge;
    this.nc = 0;
  }

  authorization(method: string, uri: string): string {
    const p = this.challenge.params;
    const algorithm = p.algorithm ?? "MD5";
    const hash = this.quirks.alwaysMd5 ? "md5" : (hashOf(algorithm) ?? "md5");
    const realm = p.realm ?? "";
    const nonce = p.nonce ?? "";
    const qops = (p.qop ?? "").split(",").map((q) => q.trim().toLowerCase());
    const qop = qops.includes("auth") ? "auth" : undefined;
    const cnonce = randomBytes(8).toString("hex");
    const nc = (++this.nc).toString(16).padStart(8, "0");
    let ha1 = h(hash, `${this.username}:${realm}:${this.password}`);
    if (/-sess$/i.test(algorithm)) ha1 = h(hash, `${ha1}:${nonce}:${cnonce}`);
    const ha2 = h(hash, `${method}:${uri}`);
    const response = qop ? h(hash, `${ha1}:${nonce}:${nc}:${cnonce}:${qop}:${ha2}`) : h(hash, `${ha1}:${nonce}:${ha2}`);
    const fields = [
      `username=${quote(this.username)}`,
      `realm=${quote(realm)}`,
      `nonce=${quote(nonce)}`,
      `uri=${quote(uri)}`,
      `algorithm=${algorithm}`,
      `response=${quote(response)}`,
    ];
    if (p.opaque !== undefined) fields.push(`opaque=${quote(p.opaque)}`);
    if (qop) fields.push(`qop=${qop}`, `nc=${nc}`, `cnonce=${quote(cnonce)}`);
    return `Digest ${fields.join(", ")}`;
  }
}

/** What a connection-request listener asks for, and how it checks the answer. */
export interface DigestServerOptions {
  readonly realm: string;
  readonly algorithms: readonly DigestAlgorithm[];
  /** Nonces older than this are answered with stale=true. */
  readonly nonceLifetimeMs: number;
}

/**
 * Server-side Digest without per-nonce state: a nonce is its issue time plus an HMAC over it, so any
 * nonce we issued can be checked for authenticity and age.
 */
export class DigestVerifier {
  private readonly secret = randomBytes(16);

  constructor(private readonly options: DigestServerOptions) {}

  /** One WWW-Authenticate value per algorithm, preferred first. */
  challenges(stale = false): string[] {
    const nonce = this.nonce();
    return this.options.algorithms.map(
      (algorithm) =>
        `Digest realm=${quote(this.options.realm)}, qop="auth", nonce=${quote(nonce)}, algorithm=${algorithm}` +
        (stale ? ", stale=true" : ""),
    );
  }

  /**
   * "ok", "stale" (right password, expired nonce: challenge again with stale=true) or "denied".
   */
  verify(
    authorization: string | undefined,
    method: string,
    username: string,
    password: string,
  ): "ok" | "stale" | "denied" {
    if (!authorization) return "denied";
    const [credentials] = parseChallenges([authorization]);
    if (credentials?.scheme !== "digest") return "denied";
    const p = credentials.params;
    const algorithm = p.algorithm ?? "MD5";
    const hash = hashOf(algorithm);
    if (!hash || !this.options.algorithms.some((a) => hashOf(a) === hash)) return "denied";
    if (p.username !== username || p.realm !== this.options.realm || !p.nonce || !p.uri || !p.response) {
      return "denied";
    }
    const issued = this.nonceIssuedAt(p.nonce);
    if (issued === undefined) return "denied";
    let ha1 = h(hash, `${username}:${this.options.realm}:${password}`);
    if (/-sess$/i.test(algorithm)) ha1 = h(hash, `${ha1}:${p.nonce}:${p.cnonce ?? ""}`);
    const ha2 = h(hash, `${method}:${p.uri}`);
    const expected =
      p.qop === "auth"
        ? h(hash, `${ha1}:${p.nonce}:${p.nc ?? ""}:${p.cnonce ?? ""}:auth:${ha2}`)
        : h(hash, `${ha1}:${p.nonce}:${ha2}`);
    if (!sameText(expected, p.response.toLowerCase())) return "denied";
    return Date.now() - issued > this.options.nonceLifetimeMs ? "stale" : "ok";
  }

  private nonce(): string {
    const time = Date.now().toString(16);
    const mac = createHmac("sha256", this.secret).update(time).digest("hex").slice(0, 32);
    return `${time}.${mac}`;
  }

  private nonceIssuedAt(nonce: string): number | undefined {
    const [time, mac] = nonce.split(".");
    if (!time || !mac) return undefined;
    const expected = createHmac("sha256", this.secret).update(time).digest("hex").slice(0, 32);
    if (!sameText(expected, mac)) return undefined;
    const issued = Number.parseInt(time, 16);
    return Number.isFinite(issued) ? issued : undefined;
  }
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Checks "Basic base64(user:pass)". */
export function verifyBasic(authorization: string | undefined, username: string, password: string): boolean {
  if (!authorization?.toLowerCase().startsWith("basic ")) return false;
  const decoded = Buffer.from(authorization.slice(6).trim(), "base64").toString("utf8");
  return sameText(decoded, `${username}:${password}`);
}
