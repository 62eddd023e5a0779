import { createHash, timingSafeEqual } from "node:crypto";

/** HTTP Digest (RFC 7616, qop=auth) and Basic (RFC 7617) as CPEs speak them towards the ACS. */

export type DigestAlgorithm = "MD5" | "SHA-256";

export type Authorization =
  | { scheme: "Digest"; username: string; params: Record<string, string> }
  | { scheme: "Basic"; username: string; password: string };

export function parseAuthorization(header: string | undefined): Authorization | null {
  if (!header) return null;
  const space = header.indexOf(" ");
  if (space === -1) return null;
  const scheme = header.slice(0, space).toLowerCase();
  const rest = header.slice(space + 1).trim();
  if (scheme === "basic") {
    const decoded = Buffer.from(rest, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon === -1) return null;
    return { scheme: "Basic", username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
  }
  if (scheme !== "digest") return null;
  const params = parseAuthParams(rest);
  if (params.username === undefined) return null;
  return { scheme: "Digest", username: params.username, params };
}

/** key=value and key="quoted \" value" pairs, separated by commas. */
export function parseAuthParams(input: string): Record<string, string> {
  const params: Record<string, string> = {};
  const pattern = /\s*([A-Za-z0-9_*-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))\s*(?:,|$)/gy;
  let match = pattern.exec(input);
  while (match) {
    params[match[1]!.toLowerCase()] = match[2] !== undefined ? match[2].replace(/\\(.)/g, "$1") : (match[3] ?? "");
    if (pattern.lastIndex >= input.length) break;
    match = pattern.exec(input);
  }
  return params;
}

export function hashHex(algorithm: DigestAlgorithm, input: string): string {
  return createHash(algorithm === "MD5" ? "md5" : "sha256")
    .update(input, "utf8")
    .digest("hex");
}

export function digestHa1(algorithm: DigestAlgorithm, username: string, realm: string, password: string): string {
  return hashHex(algorithm, `${username}:${realm}:${password}`);
}

export function digestAlgorithmOf(params: Record<string, string>): DigestAlgorithm | null {
  const algorithm = (params.algorithm ?? "MD5").toUpperCase();
  if (algorithm === "MD5") return "MD5";
  if (algorithm === "SHA-256") return "SHA-256";
  return null;
}

export interface DigestCheck {
  method: string;
  params: Record<string, string>;
  ha1: string;
  algorithm: DigestAlgorithm;
}

/**
 * True when the response matches. With qop=auth (RFC 7616 3.4.1) the nonce count is what makes replays
 * detectable; without qop (RFC 2069 clients) the caller treats the nonce as single-use.
 */
export function digestResponseMatches({ method, params, ha1, algorithm }: DigestCheck): boolean {
  const suffix = digestResponseSuffix(method, params, algorithm);
  if (suffix === null || !params.response) return false;
  return constantTimeEqual(hashHex(algorithm, `${ha1}:${suffix}`), params.response.toLowerCase());
}

/**
 * What follows "HA1:" in the string whose hash the response must be (RFC 7616 3.4.1; RFC 2069 without qop),
 * or null when the parameters cannot make a response Beacon accepts. openSession can check a response with it
 * in SQL, against the HA1 stored on the device, without learning the HA1 first.
 */
export function digestResponseSuffix(
  method: string,
  params: Record<string, string>,
  algorithm: DigestAlgorithm,
): string | null {
  const { nonce, uri } = params;
  if (!nonce || uri === undefined) return null;
  const ha2 = hashHex(algorithm, `${method}:${uri}`);
  if (params.qop === undefined) return `${nonce}:${ha2}`;
  if (params.qop.toLowerCase() === "auth" && params.nc && params.cnonce !== undefined) {
    return `${nonce}:${params.nc}:${params.cnonce}:auth:${ha2}`;
  }
  return null;
}

/** The nonce count as a number; 1 for clients that send none (each nonce is then good for one request). */
export function nonceCount(params: Record<string, string>): number | null {
  if (params.qop === undefined) return 1;
  const nc = params.nc;
  if (!nc || !/^[0-9a-fA-F]{1,8}$/.test(nc)) return null;
  return Number.parseInt(nc, 16);
}

export function digestChallenge(options: {
  realm: string;
  nonce: string;
  opaque: string;
  algorithm: DigestAlgorithm;
  stale?: boolean;
}): string {
  const parts = [
    `realm="${options.realm}"`,
    `qop="auth"`,
    `algorithm=${options.algorithm}`,
    `nonce="${options.nonce}"`,
    `opaque="${options.opaque}"`,
  ];
  if (options.stale) parts.push("stale=true");
  return `Digest ${parts.join(", ")}`;
}

export function basicChallenge(realm: string): string {
  return `Basic realm="${realm}", charset="UTF-8"`;
}

export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
