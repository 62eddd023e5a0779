import { randomBytes } from "node:crypto";
import type { Db } from "@beacon/db";
import { recordAudit } from "../audit/record-audit.ts";
import { NotFound } from "../errors.ts";
import { digestHa1 } from "./digest.ts";

/** Changing the realm invalidates every stored HA1, so it is fixed. */
export const CWMP_REALM = "Beacon CWMP";

export interface CredentialHashes {
  ha1Md5: string;
  ha1Sha256: string;
}

export function credentialHashes(username: string, password: string): CredentialHashes {
  return {
    ha1Md5: digestHa1("MD5", username, CWMP_REALM, password),
    ha1Sha256: digestHa1("SHA-256", username, CWMP_REALM, password),
  };
}

/** A device's own credentials towards Beacon, and Beacon's towards it for connection requests. */
export interface GeneratedCpeCredentials extends CredentialHashes {
  username: string;
  password: string;
  connReqUsername: string;
  connReqPassword: string;
}

export function generateCpeCredentials(device: { oui: string; serialNumber: string }): GeneratedCpeCredentials {
  const username = `${device.oui}-${device.serialNumber}-${randomBytes(3).toString("hex")}`.replace(
    /[^A-Za-z0-9._-]/g,
    "_",
  );
  const password = secret();
  return {
    username,
    password,
    ...credentialHashes(username, password),
    connReqUsername: `beacon-${randomBytes(4).toString("hex")}`,
    connReqPassword: secret(),
  };
}

function secret(): string {
  return randomBytes(18).toString("base64url");
}

/** Whose credentials these are: the device a username was given to. */
export interface CredentialOwner {
  id: string;
  oui: string;
  productClass: string;
  serialNumber: string;
  cwmpHa1Md5: string | null;
  cwmpHa1Sha256: string | null;
}

export async function findCredentialOwner(db: Db, username: string): Promise<CredentialOwner | null> {
  return db.device.findUnique({
    where: { cwmpUsername: username },
    select: { id: true, oui: true, productClass: true, serialNumber: true, cwmpHa1Md5: true, cwmpHa1Sha256: true },
  });
}

/** A domain's own enrollment credential (Tenant.cwmpEnrollUsername): a bootstrap credential for that domain. */
export interface EnrollmentCredential {
  tenantId: string;
  ha1Md5: string | null;
  ha1Sha256: string | null;
}

export async function findEnrollmentCredential(db: Db, username: string): Promise<EnrollmentCredential | null> {
  const tenant = await db.tenant.findUnique({
    where: { cwmpEnrollUsername: username },
    select: { id: true, cwmpEnrollHa1Md5: true, cwmpEnrollHa1Sha256: true },
  });
  return tenant
    ? { tenantId: tenant.id, ha1Md5: tenant.cwmpEnrollHa1Md5, ha1Sha256: tenant.cwmpEnrollHa1Sha256 }
    : null;
}

/**
 * Forgets a device's own CWMP credentials so that it can bootstrap again with the shared credential, e.g.
 * after a factory reset.
 */
export async function resetCpeCredentials(db: Db, deviceId: string, actor: { id?: string | null; label: string }) {
  const device = await db.device.findUnique({ where: { id: deviceId }, select: { id: true, tenantId: true } });
  if (!device) throw new NotFound("device");
  await db.$transaction(async (tx) => {
    await tx.device.update({
      where: { id: deviceId },
      data: { cwmpUsername: null, cwmpHa1Md5: null, cwmpHa1Sha256: null },
    });
    await recordAudit(tx, {
      tenantId: device.tenantId,
      actorId: actor.id,
      actorLabel: actor.label,
      action: "device.credentials.reset",
      targetType: "device",
      targetId: deviceId,
      deviceId,
    });
  });
}
