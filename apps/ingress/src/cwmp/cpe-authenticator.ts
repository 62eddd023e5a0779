import type { Db } from "@beacon/db";
import {
  type Authorization,
  basicChallenge,
  CWMP_REALM,
  constantTimeEqual,
  credentialHashes,
  type DigestAlgorithm,
  digestAlgorithmOf,
  digestChallenge,
  digestResponseMatches,
  findCredentialOwner,
  issueNonce,
  nonceCount,
  type Principal,
  parseAuthorization,
  useNonce,
} from "@beacon/domain";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { CwmpSettings } from "../config.ts";

export type Authentication = { ok: true; principal: Principal } | { ok: false; reason: string; stale?: boolean };

const OPAQUE = "beacon";

/**
 * HTTP authentication of CPEs: Digest (MD5 and SHA-256, qop=auth, nonces from the DigestNonce table so that
 * any process can check them and none can be replayed) and, over TLS or when allowed, Basic.
 */
export function createCpeAuthenticator(db: Db, settings: CwmpSettings, clock: () => Date) {
  const bootstrap = {
    username: settings.bootstrapUsername,
    ...credentialHashes(settings.bootstrapUsername, settings.bootstrapPassword),
  };

  function basicAllowed(request: FastifyRequest): boolean {
    return settings.allowBasic || request.protocol === "https";
  }

  async function ownerOf(username: string) {
    if (username === bootstrap.username) {
      return {
        principal: { kind: "bootstrap" } as Principal,
        ha1Md5: bootstrap.ha1Md5,
        ha1Sha256: bootstrap.ha1Sha256,
      };
    }
    const device = await findCredentialOwner(db, username);
    if (!device) return null;
    const identity = { oui: device.oui, productClass: device.productClass, serialNumber: device.serialNumber };
    return {
      principal: { kind: "device", deviceId: device.id, identity } as Principal,
      ha1Md5: device.cwmpHa1Md5,
      ha1Sha256: device.cwmpHa1Sha256,
    };
  }

  async function authenticate(request: FastifyRequest): Promise<Authentication> {
    const authorization = parseAuthorization(request.headers.authorization);
    if (!authorization) return { ok: false, reason: "no credentials" };
    if (authorization.scheme === "Basic") return checkBasic(request, authorization);
    return checkDigest(request, authorization);
  }

  async function checkBasic(request: FastifyRequest, auth: Extract<Authorization, { scheme: "Basic" }>) {
    if (!basicAllowed(request)) return { ok: false as const, reason: "Basic authentication needs TLS" };
    const owner = await ownerOf(auth.username);
    const ha1 = credentialHashes(auth.username, auth.password).ha1Md5;
    if (!owner?.ha1Md5 || !constantTimeEqual(owner.ha1Md5, ha1))
      return { ok: false as const, reason: "wrong credentials" };
    return { ok: true as const, principal: owner.principal };
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
    if (count === null || count < 1) return { ok: false, reason: "bad nonce count" };
    const owner = await ownerOf(auth.username);
    const ha1 = algorithm === "MD5" ? owner?.ha1Md5 : owner?.ha1Sha256;
    if (!owner || !ha1) return { ok: false, reason: `unknown user ${auth.username}` };
    if (!digestResponseMatches({ method: request.method, params, ha1, algorithm })) {
      return { ok: false, reason: "wrong credentials" };
    }
    const use = await useNonce(db, params.nonce!, count, clock());
    if (use === "stale") return { ok: false, reason: "stale nonce", stale: true };
    if (use !== "ok") return { ok: false, reason: use === "replayed" ? "replayed nonce count" : "unknown nonce" };
    return { ok: true, principal: owner.principal };
  }

  async function challenge(request: FastifyRequest, reply: FastifyReply, stale = false): Promise<FastifyReply> {
    const nonce = await issueNonce(db, clock());
    // MD5 first: older CPEs read only the first challenge and know no other algorithm.
    const headers = (["MD5", "SHA-256"] as DigestAlgorithm[]).map((algorithm) =>
      digestChallenge({ realm: CWMP_REALM, nonce, opaque: OPAQUE, algorithm, stale }),
    );
    if (basicAllowed(request)) headers.push(basicChallenge(CWMP_REALM));
    return reply.code(401).header("www-authenticate", headers).header("content-length", "0").send();
  }

  return { authenticate, challenge };
}

export type CpeAuthenticator = ReturnType<typeof createCpeAuthenticator>;

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
