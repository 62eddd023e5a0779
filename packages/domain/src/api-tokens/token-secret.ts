import { createHash, randomBytes } from "node:crypto";

/**
 * An API token is "bcn_<8 hex>_<43 base64url>": the first part is its visible prefix (stored, shown, unique), the
 * rest 256 random bits. Only the SHA-256 of the whole token is stored; a secret of that entropy needs no slow hash.
 */
const TOKEN = /^(bcn_[0-9a-f]{8})_[A-Za-z0-9_-]{43}$/;

export interface NewApiTokenSecret {
  token: string;
  prefix: string;
  tokenHash: string;
}

export function newApiTokenSecret(): NewApiTokenSecret {
  const prefix = `bcn_${randomBytes(4).toString("hex")}`;
  const token = `${prefix}_${randomBytes(32).toString("base64url")}`;
  return { token, prefix, tokenHash: hashApiToken(token) };
}

export function hashApiToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** The prefix of a well-formed token, or null for anything else. */
export function apiTokenPrefix(token: string): string | null {
  return TOKEN.exec(token)?.[1] ?? null;
}

/** How the audit log names a token's calls. */
export function apiTokenActorLabel(prefix: string): string {
  return `token:${prefix}`;
}
