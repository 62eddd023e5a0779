import { createHash, randomBytes } from "node:crypto";

/**
 * An independent, minimal RFC 7616 implementation for the test ACS and test ACS clients, so that the
 * simulator's own Digest code is checked against something it did not write.
 */

export type Algorithm = "MD5" | "SHA-256";

const hashName = (a: Algorithm) => (a === "MD5" ? "md5" : "sha256");

export function hex(a: Algorithm, s: string): string {
  return createHash(hashName(a)).update(s).digest("hex");
}

export function parseAuthParams(header: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /([a-zA-Z0-9_-]+)=(?:"((?:[^"\\]|\\.)*)"|([^,\s]+))/g;
  for (let m = re.exec(header); m; m = re.exec(header)) {
    out[(m[1] ?? "").toLowerCase()] = (m[2] ?? m[3] ?? "").replace(/\\(.)/g, "$1");
  }
  return out;
}

export function expectedResponse(
  algorithm: Algorithm,
  p: Record<string, string>,
  password: string,
  method: string,
): string {
  const ha1 = hex(algorithm, `${p.username}:${p.realm}:${password}`);
  const ha2 = hex(algorithm, `${method}:${p.uri}`);
  return hex(algorithm, `${ha1}:${p.nonce}:${p.nc}:${p.cnonce}:${p.qop}:${ha2}`);
}

/** The Authorization header an ACS sends to answer a connection-request challenge. */
export function answerChallenge(
  challenge: string,
  username: string,
  password: string,
  method: string,
  uri: string,
): string {
  const c = parseAuthParams(challenge);
  const algorithm = (c.algorithm ?? "MD5").toUpperCase() as Algorithm;
  const p = {
    username,
    realm: c.realm ?? "",
    nonce: c.nonce ?? "",
    uri,
    nc: "00000001",
    cnonce: randomBytes(6).toString("hex"),
    qop: "auth",
  };
  const response = expectedResponse(algorithm, p, password, method);
  return `Digest username="${username}", realm="${p.realm}", nonce="${p.nonce}", uri="${uri}", algorithm=${algorithm}, qop=auth, nc=${p.nc}, cnonce="${p.cnonce}", response="${response}"`;
}
