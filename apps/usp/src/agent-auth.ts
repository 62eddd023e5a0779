import type { Db } from "@beacon/db";
import {
  constantTimeEqual,
  credentialHashes,
  findCredentialOwner,
  findEnrollmentCredential,
  type Principal,
  parseAuthorization,
} from "@beacon/domain";
import type { UspSettings } from "./config.ts";

export type AgentAuthentication = { ok: true; principal: Principal } | { ok: false; status: 401 | 403; reason: string };

/**
 * HTTP authentication of an agent's WebSocket upgrade: Basic with the shared bootstrap credential, the device's
 * own (Device.cwmpUsername, checked against its stored digest HA1, so one credential store serves CWMP and USP), or
 * a domain's enrollment credential (its new agents land in that domain's inbox), as for CWMP.
 * Basic travels in clear, so it is refused without TLS unless USP_WS_ALLOW_BASIC says otherwise.
 */
export async function authenticateAgent(
  db: Db,
  settings: UspSettings,
  header: string | undefined,
  secure: boolean,
): Promise<AgentAuthentication> {
  const authorization = parseAuthorization(header);
  if (!authorization) {
    return settings.admission === "open"
      ? { ok: true, principal: { kind: "anonymous" } }
      : { ok: false, status: 401, reason: "no credentials" };
  }
  if (authorization.scheme !== "Basic")
    return { ok: false, status: 401, reason: "only Basic authentication is offered" };
  if (!secure && !settings.allowBasicWithoutTls) {
    return { ok: false, status: 403, reason: "Basic authentication needs TLS (wss://) or USP_WS_ALLOW_BASIC=true" };
  }
  const given = credentialHashes(authorization.username, authorization.password).ha1Md5;
  if (authorization.username === settings.bootstrapUsername) {
    const expected = credentialHashes(settings.bootstrapUsername, settings.bootstrapPassword).ha1Md5;
    return constantTimeEqual(given, expected)
      ? { ok: true, principal: { kind: "bootstrap" } }
      : { ok: false, status: 401, reason: "wrong credentials" };
  }
  const owner = await findCredentialOwner(db, authorization.username);
  if (!owner) {
    const enrollment = await findEnrollmentCredential(db, authorization.username);
    return enrollment?.ha1Md5 && constantTimeEqual(enrollment.ha1Md5, given)
      ? { ok: true, principal: { kind: "bootstrap", tenantId: enrollment.tenantId } }
      : { ok: false, status: 401, reason: "wrong credentials" };
  }
  if (!owner.cwmpHa1Md5 || !constantTimeEqual(owner.cwmpHa1Md5, given)) {
    return { ok: false, status: 401, reason: "wrong credentials" };
  }
  return {
    ok: true,
    principal: {
      kind: "device",
      deviceId: owner.id,
      identity: { oui: owner.oui, productClass: owner.productClass, serialNumber: owner.serialNumber },
    },
  };
}
