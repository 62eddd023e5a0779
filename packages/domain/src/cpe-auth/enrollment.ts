import { randomBytes } from "node:crypto";
import type { Db } from "@beacon/db";
import { recordAudit } from "../audit/record-audit.ts";
import { NotFound } from "../errors.ts";
import type { Actor } from "../users/users.ts";
import { credentialHashes } from "./credentials.ts";

/**
 * A domain's own CPE enrollment credential: a bootstrap credential that belongs to one hotel, integrator or
 * operator. A device that first informs with it lands in that domain's unassigned inbox, and the credential
 * vouches for it (its templates need not wait, see decideAdmission). Only Digest HA1 values are kept: the
 * password is shown once, when it is made.
 */

export interface DomainEnrollment {
  tenantId: string;
  /** Null until the domain has a credential of its own. */
  username: string | null;
  autoReadmit: boolean;
}

export async function domainEnrollment(db: Db, tenantId: string): Promise<DomainEnrollment> {
  const tenant = await db.tenant.findUnique({
    where: { id: tenantId },
    select: { id: true, cwmpEnrollUsername: true, autoReadmit: true },
  });
  if (!tenant) throw new NotFound("domain");
  return { tenantId: tenant.id, username: tenant.cwmpEnrollUsername, autoReadmit: tenant.autoReadmit };
}

/** Makes (or replaces) the domain's enrollment credential; devices enrolled with the old one keep their own. */
export async function createEnrollmentCredential(
  db: Db,
  tenantId: string,
  actor: Actor,
): Promise<{ username: string; password: string }> {
  const tenant = await db.tenant.findUnique({ where: { id: tenantId }, select: { id: true, name: true } });
  if (!tenant) throw new NotFound("domain");
  const slug = tenant.name
    .normalize("NFKD")
    .replace(/[^A-Za-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .toLowerCase()
    .slice(0, 24);
  const username = `enroll-${slug || "domain"}-${randomBytes(3).toString("hex")}`;
  const password = randomBytes(18).toString("base64url");
  const hashes = credentialHashes(username, password);
  await db.$transaction(async (tx) => {
    await tx.tenant.update({
      where: { id: tenant.id },
      data: { cwmpEnrollUsername: username, cwmpEnrollHa1Md5: hashes.ha1Md5, cwmpEnrollHa1Sha256: hashes.ha1Sha256 },
    });
    await recordAudit(tx, {
      tenantId: tenant.id,
      actorId: actor.id,
      actorLabel: actor.label,
      action: "domain.enrollment.create",
      targetType: "domain",
      targetId: tenant.id,
      after: { username },
    });
  });
  return { username, password };
}

/** Whether devices of the domain returning from a factory reset are re-admitted without anyone clicking. */
export async function setAutoReadmit(db: Db, tenantId: string, autoReadmit: boolean, actor: Actor): Promise<void> {
  await db.$transaction(async (tx) => {
    await tx.tenant.update({ where: { id: tenantId }, data: { autoReadmit } });
    await recordAudit(tx, {
      tenantId,
      actorId: actor.id,
      actorLabel: actor.label,
      action: "domain.autoReadmit",
      targetType: "domain",
      targetId: tenantId,
      after: { autoReadmit },
    });
  });
}

export interface ReenrollRequest {
  id: string;
  serialNumber: string;
  productClass: string;
  manufacturer: string;
  requestedAt: Date;
  approvedAt: Date | null;
  tenant: { id: string; name: string };
}

/** Devices of the domain and below that came back from a factory reset and ask to re-enroll. */
export async function listReenrollRequests(db: Db, input: { tenantId: string }): Promise<ReenrollRequest[]> {
  const devices = await db.device.findMany({
    where: { tenant: { ancestorIds: { has: input.tenantId } }, reenrollRequestedAt: { not: null } },
    orderBy: { reenrollRequestedAt: "desc" },
    take: 200,
    select: {
      id: true,
      serialNumber: true,
      productClass: true,
      manufacturer: true,
      reenrollRequestedAt: true,
      reenrollApprovedAt: true,
      tenant: { select: { id: true, name: true } },
    },
  });
  return devices.map(({ reenrollRequestedAt, reenrollApprovedAt, ...d }) => ({
    ...d,
    requestedAt: reenrollRequestedAt!,
    approvedAt: reenrollApprovedAt,
  }));
}
