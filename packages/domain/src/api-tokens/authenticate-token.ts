import type { Db, Role } from "@beacon/db";
import { recordAudit } from "../audit/record-audit.ts";
import { ROLES } from "../tenancy/permissions.ts";
import { loadTenantAccess, roleAt, type TenantAccess } from "../tenancy/tenant-access.ts";
import { apiTokenActorLabel, apiTokenPrefix, hashApiToken } from "./token-secret.ts";

/** A token row, enough to audit a call made with it. */
export interface ApiTokenRef {
  id: string;
  prefix: string;
  tenantId: string;
  createdById: string | null;
}

export interface AuthenticatedApiToken extends ApiTokenRef {
  name: string;
  /** The role the token acts with: the one it was given, or less when its creator now holds less. */
  role: Role;
  expiresAt: Date;
}

export type ApiTokenRejection = "missing" | "malformed" | "unknown" | "expired" | "revoked" | "orphaned";

export type ApiTokenAuthentication =
  | { ok: true; token: AuthenticatedApiToken; access: TenantAccess }
  | { ok: false; reason: ApiTokenRejection; message: string; token: ApiTokenRef | null };

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;
/** lastUsedAt is for people ("used 3 minutes ago"); writing it more often than this only adds load. */
const LAST_USED_RESOLUTION_MS = 60_000;

function weaker(a: Role, b: Role): Role {
  return ROLES.indexOf(a) >= ROLES.indexOf(b) ? a : b;
}

/**
 * Who an `Authorization: Bearer <token>` header speaks for, as the same TenantAccess a signed-in user gets: one
 * membership, the token's role on the token's domain, so the console's tenant scope limits it unchanged. A token
 * never outranks its creator: it acts with the weaker of its role and the creator's present role there, and stops
 * working when the creator is disabled or holds no role there any more.
 */
export async function authenticateApiToken(
  db: Db,
  authorization: string | null,
  now = new Date(),
): Promise<ApiTokenAuthentication> {
  if (!authorization) {
    return reject("missing", "send an API token in the Authorization header: Authorization: Bearer <token>", null);
  }
  const secret = BEARER.exec(authorization)?.[1];
  if (!secret || !apiTokenPrefix(secret)) {
    return reject("malformed", "the Authorization header must be 'Bearer ' followed by a Beacon API token", null);
  }
  const row = await db.apiToken.findUnique({
    where: { tokenHash: hashApiToken(secret) },
    select: {
      id: true,
      prefix: true,
      tenantId: true,
      name: true,
      role: true,
      createdById: true,
      expiresAt: true,
      revokedAt: true,
      lastUsedAt: true,
      tenant: { select: { ancestorIds: true } },
    },
  });
  if (!row) return reject("unknown", "this API token is not valid", null);
  const ref: ApiTokenRef = { id: row.id, prefix: row.prefix, tenantId: row.tenantId, createdById: row.createdById };
  if (row.revokedAt) {
    return reject("revoked", `this API token was revoked on ${row.revokedAt.toISOString()}`, ref);
  }
  if (row.expiresAt <= now) {
    return reject(
      "expired",
      `this API token expired on ${row.expiresAt.toISOString()}; an owner of its domain can create a new one`,
      ref,
    );
  }
  const creator = row.createdById ? await loadTenantAccess(db, row.createdById) : null;
  const creatorRole = creator ? roleAt(creator, row.tenant) : null;
  if (!creatorRole) {
    return reject(
      "orphaned",
      "this API token no longer works: the person who created it no longer holds a role on its domain",
      ref,
    );
  }
  const role = weaker(row.role, creatorRole);
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
    await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  }
  return {
    ok: true,
    token: { ...ref, name: row.name, role, expiresAt: row.expiresAt },
    access: {
      userId: creator!.userId,
      actor: { id: creator!.userId, label: apiTokenActorLabel(row.prefix) },
      memberships: [{ tenantId: row.tenantId, role }],
    },
  };
}

function reject(reason: ApiTokenRejection, message: string, token: ApiTokenRef | null): ApiTokenAuthentication {
  return { ok: false, reason, message, token };
}

/** One request made with a token, as the audit log keeps it. */
export interface ApiCall {
  method: string;
  path: string;
  /** The operation of the API's route table, null for a path it does not know. */
  operation: string | null;
  status: number;
}

/** Every call made with a token is audited on the token's domain, refused ones included. */
export async function recordApiCall(db: Pick<Db, "auditEvent">, token: ApiTokenRef, call: ApiCall): Promise<void> {
  await recordAudit(db, {
    tenantId: token.tenantId,
    actorId: token.createdById,
    actorLabel: apiTokenActorLabel(token.prefix),
    action: "api.call",
    targetType: "apiToken",
    targetId: token.id,
    after: { method: call.method, path: call.path, operation: call.operation, status: call.status },
  });
}

/**
 * What the REST layer holds to let tokens in, in the manner of Tenancy: it checks a token and audits its calls,
 * and the raw client stays in here.
 */
export interface ApiTokenAuthority {
  authenticate(authorization: string | null): Promise<ApiTokenAuthentication>;
  recordCall(token: ApiTokenRef, call: ApiCall): Promise<void>;
}

export function createApiTokenAuthority(db: Db): ApiTokenAuthority {
  return {
    authenticate: (authorization) => authenticateApiToken(db, authorization),
    recordCall: (token, call) => recordApiCall(db, token, call),
  };
}
