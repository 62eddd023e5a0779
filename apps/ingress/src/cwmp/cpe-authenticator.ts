import type { Db } from "@beacon/db";
import {
  type Authorization,
  basicChallenge,
  type CredentialOwner,
  CWMP_REALM,
  constantTimeEqual,
  createNonces,
  credentialHashes,
  type DigestAlgorithm,
  type DigestProof,
  digestAlgorithmOf,
  digestChallenge,
  digestResponseMatches,
  digestResponseSuffix,
  findCredentialOwner,
  findEnrollmentCredential,
  nonceCount,
  nonceKey,
  type Principal,
  parseAuthorization,
  useNonceFindOwner,
} from "@beacon/domain";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { CwmpSettings } from "../config.ts";

export type Authentication =
  | { ok: true; principal: Principal }
  | { ok: false; reason: string; stale?: boolean; username?: string };

interface Credential {
  principal: Principal;
  ha1Md5: string | null;
  ha1Sha256: string | null;
}

const OPAQUE = "beacon";

/**
 * HTTP authentication of CPEs: Digest (MD5, and SHA-256 when BEACON_CWMP_DIGEST_SHA256 offers it; qop=auth, nonces any process can check by their HMAC,
 * their counts spent in the DigestNonce table so that none can be replayed) and, over TLS or when allowed, Basic. A username is
 * either the shared bootstrap credential or a device's own (Device.cwmpUsername).
 */
export function createCpeAuthenticator(db: Db, settings: CwmpSettings, clock: () => Date) {
  const bootstrap: Credential = {
    principal: { kind: "bootstrap" },
    ...credentialHashes(settings.bootstrapUsername, settings.bootstrapPassword),
  };
  const nonces = createNonces(nonceKey(settings.bootstrapPassword));

  function credentialOf(username: string, device: CredentialOwner | null): Credential | null {
    if (username === settings.bootstrapUsername) return bootstrap;
    if (!device) return null;
    const identity = { oui: device.oui, productClass: device.productClass, serialNumber: device.serialNumber };
    return {
      principal: { kind: "device", deviceId: device.id, identity },
      ha1Md5: device.cwmpHa1Md5,
      ha1Sha256: device.cwmpHa1Sha256,
    };
  }

  /** A username that is neither the shared credential nor a device's may be a domain's enrollment credential. */
  async function credentialFor(username: string, device: CredentialOwner | null): Promise<Credential | null> {
    const known = credentialOf(username, device);
    if (known) return known;
    const enrollment = await findEnrollmentCredential(db, username);
    if (!enrollment) return null;
    return {
      principal: { kind: "bootstrap", tenantId: enrollment.tenantId },
      ha1Md5: enrollment.ha1Md5,
      ha1Sha256: enrollment.ha1Sha256,
    };
  }

  function basicAllowed(request: FastifyRequest): boolean {
    return settings.allowBasic || request.protocol === "https";
  }

  async function authenticate(request: FastifyRequest): Promise<Authentication> {
    const authorization = parseAuthorization(request.headers.authorization);
    if (!authorization) return { ok: false, reason: "no credentials" };
    const result =
      authorization.scheme === "Basic"
        ? await checkBasic(request, authorization)
        : await checkDigest(request, authorization);
    return result.ok ? result : { ...result, username: authorization.username };
  }

  async function checkBasic(
    request: FastifyRequest,
    auth: Extract<Authorization, { scheme: "Basic" }>,
  ): Promise<Authentication> {
    if (!basicAllowed(request)) return { ok: false, reason: "Basic authentication needs TLS" };
    const device = auth.username === settings.bootstrapUsername ? null : await findCredentialOwner(db, auth.username);
    const credential = await credentialFor(auth.username, device);
    const ha1 = credentialHashes(auth.username, auth.password).ha1Md5;
    if (!credential?.ha1Md5 || !constantTimeEqual(credential.ha1Md5, ha1))
      return { ok: false, reason: "wrong credentials" };
    return { ok: true, principal: credential.principal };
  }

  async function checkDigest(
    request: FastifyRequest,
    auth: Extract<Authorization, { scheme: "Digest" }>,
  ): Promise<Authentication> {
    const { params } = auth;
    const algorithm = digestAlgorithmOf(params);
    if (!algorithm) return { ok: false, reason: `unsupported digest algorithm ${params.algorithm}` };
    if (params.realm !== CWMP_REALM) return { ok: false, reason: "wrong realm" };
    if (!uriMatches(params.uri, request.url)) return { ok: false, reason: "digest uri does not match the request" };
    const count = nonceCount(params);
    if (count === null || count < 1 || !params.nonce) return { ok: false, reason: "bad nonce or nonce count" };
    const now = clock();
    const issued = nonces.check(params.nonce, now);
    // A nonce Beacon did not issue costs no database work; a stale one still needs the response checked.
    if (issued.state === "unknown") return { ok: false, reason: "unknown nonce" };
    const { nonce, owner } =
      issued.state === "ok"
        ? await useNonceFindOwner(db, {
            nonce: params.nonce,
            expiresAt: issued.expiresAt,
            count,
            username: auth.username,
            now,
          })
        : { nonce: issued.state, owner: await findCredentialOwner(db, auth.username) };
    const credential = await credentialFor(auth.username, owner);
    const ha1 = algorithm === "MD5" ? credential?.ha1Md5 : credential?.ha1Sha256;
    if (!credential || !ha1) return { ok: false, reason: `unknown user ${auth.username}` };
    if (!digestResponseMatches({ method: request.method, params, ha1, algorithm })) {
      return { ok: false, reason: wrongDigestReason(request.method, params, algorithm, credential) };
    }
    if (nonce === "stale") return { ok: false, reason: "stale nonce", stale: true };
    if (nonce === "replayed") return { ok: false, reason: "replayed nonce count" };
    return { ok: true, principal: credential.principal };
  }

  /**
   * What the Digest Authorization of a request claims, checked as far as needs no database: a proof for
   * openSession to check against the device's stored HA1 in the statement that opens the session. Null when the
   * header is anything else than a Digest response to a live nonce of Beacon's under a username other than the
   * shared one: authenticate() then decides (and says why it refuses).
   */
  function digestProof(request: FastifyRequest): DigestProof | null {
    const auth = parseAuthorization(request.headers.authorization);
    if (auth?.scheme !== "Digest" || auth.username === settings.bootstrapUsername) return null;
    const { params } = auth;
    const algorithm = digestAlgorithmOf(params);
    if (!algorithm || params.realm !== CWMP_REALM || !uriMatches(params.uri, request.url) || !params.response) {
      return null;
    }
    const count = nonceCount(params);
    if (count === null || count < 1 || !params.nonce) return null;
    const issued = nonces.check(params.nonce, clock());
    if (issued.state !== "ok") return null;
    const suffix = digestResponseSuffix(request.method, params, algorithm);
    if (suffix === null) return null;
    return {
      username: auth.username,
      algorithm,
      suffix,
      response: params.response.toLowerCase(),
      nonce: params.nonce,
      count,
      nonceExpiresAt: issued.expiresAt,
    };
  }

  // TR-069 3.2.1 names MD5, and CPE stacks parse one challenge: some keep the first, some the last (one of
  // those declares the last one's algorithm and computes MD5 whatever it says). MD5 alone unless asked.
  const algorithms: DigestAlgorithm[] = settings.digestSha256 ? ["MD5", "SHA-256"] : ["MD5"];

  function challenge(request: FastifyRequest, reply: FastifyReply, stale = false): FastifyReply {
    const nonce = nonces.issue(clock());
    const headers = algorithms.map((algorithm) =>
      digestChallenge({ realm: CWMP_REALM, nonce, opaque: OPAQUE, algorithm, stale }),
    );
    if (basicAllowed(request)) headers.push(basicChallenge(CWMP_REALM));
    return reply.code(401).header("www-authenticate", headers).header("content-length", "0").send();
  }

  return { authenticate, challenge, digestProof };
}

export type CpeAuthenticator = ReturnType<typeof createCpeAuthenticator>;

/**
 * Why a Digest response did not match. A response that names SHA-256 but has MD5's length, and is right when
 * computed with MD5, comes from a client that took the algorithm of one challenge and computed another: say
 * so, since "wrong credentials" would send someone to change a password that is right.
 */
function wrongDigestReason(
  method: string,
  params: Record<string, string>,
  algorithm: DigestAlgorithm,
  credential: Credential,
): string {
  const length = params.response?.length ?? 0;
  if (algorithm === "SHA-256" && length === 32 && credential.ha1Md5) {
    const md5 = digestResponseMatches({ method, params, ha1: credential.ha1Md5, algorithm: "MD5" });
    return md5
      ? "algorithm mismatch: the response names algorithm=SHA-256 but was computed with MD5 (the password is right; the CPE's Digest client mixes up challenges)"
      : "wrong credentials (the response names algorithm=SHA-256 but has an MD5 length: likely an algorithm mismatch)";
  }
  if (algorithm === "MD5" && length === 64) {
    return "wrong credentials (the response names MD5 but has a SHA-256 length: likely an algorithm mismatch)";
  }
  return "wrong credentials";
}

/** The digest uri must name this request; some CPEs send an absolute URI. */
function uriMatches(uri: string | undefined, requestUrl: string): boolean {
  if (uri === undefined) return false;
  if (uri === requestUrl) return true;
  try {
    const parsed = new URL(uri, "http://cpe.invalid");
    return `${parsed.pathname}${parsed.search}` === requestUrl;
  } catch {
    return false;
  }
}
