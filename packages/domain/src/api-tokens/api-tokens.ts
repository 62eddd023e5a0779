import type { Role } from "@beacon/db";
import { z } from "zod";
import { appendAudit } from "../audit/audit-trail.ts";
import { DOMAIN_SELECT, type DomainRef, withDomainPaths } from "../domains/domain-paths.ts";
import { Invalid, NotAllowed, NotFound } from "../errors.ts";
import { ROLES } from "../tenancy/permissions.ts";
import { permissionsAt, type TenantAccess } from "../tenancy/tenant-access.ts";
import type { ScopedDb } from "../tenancy/tenant-scope.ts";
import { newApiTokenSecret } from "./token-secret.ts";

/** The longest a token may live; integrators rotate tokens at least this often. */
export const API_TOKEN_MAX_DAYS = 730;

export const NewApiToken = z.object({
  /** The domain the token reaches, with everything below it. */
  tenantId: z.uuid(),
  name: z.string().trim().min(1, "give the token a name").max(100),
  role: z.enum(ROLES),
  expiresAt: z.coerce.date(),
});
export type NewApiToken = z.output<typeof NewApiToken>;

export type ApiTokenStatus = "active" | "expired" | "revoked";

export interface ApiTokenView {
  id: string;
  name: string;
  prefix: string;
  role: Role;
  domain: DomainRef;
  status: ApiTokenStatus;
  createdBy: string;
  createdAt: Date;
  expiresAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  revokedBy: string | null;
}

const TOKEN_SELECT = {
  id: true,
  name: true,
  prefix: true,
  role: true,
  createdBy: true,
  createdAt: true,
  expiresAt: true,
  lastUsedAt: true,
  revokedAt: true,
  revokedBy: true,
  tenant: { select: DOMAIN_SELECT },
} as const;

/**
 * API tokens and webhooks hand a domain's data to programs outside Beacon, so only its owners manage them (the
 * permission owners alone hold); the message names what was refused rather than "managing domains".
 */
export function requireOwner(access: TenantAccess, domain: { ancestorIds: readonly string[] }, what: string): void {
  if (!permissionsAt(access, domain).includes("tenant.manage")) {
    throw new NotAllowed(`only an owner of this domain may ${what}`);
  }
}

export function apiTokenStatus(token: { expiresAt: Date; revokedAt: Date | null }, now: Date): ApiTokenStatus {
  if (token.revokedAt) return "revoked";
  return token.expiresAt <= now ? "expired" : "active";
}

async function reachableDomain(db: ScopedDb, tenantId: string) {
  const domain = await db.tenant.findUnique({ where: { id: tenantId }, select: { id: true, ancestorIds: true } });
  if (!domain) throw new NotFound("domain");
  return domain;
}

type TokenRow = Omit<ApiTokenView, "domain" | "status"> & {
  tenant: { id: string; name: string; kind: DomainRef["kind"]; parentId: string | null; ancestorIds: string[] };
};

async function toViews(db: ScopedDb, rows: TokenRow[], now: Date): Promise<ApiTokenView[]> {
  const domains = new Map(
    (
      await withDomainPaths(
        db,
        rows.map((r) => r.tenant),
      )
    ).map((d) => [d.id, d]),
  );
  return rows.map(({ tenant, ...row }) => ({
    ...row,
    domain: domains.get(tenant.id)!,
    status: apiTokenStatus(row, now),
  }));
}

/**
 * Creates a token for a domain; the answer carries the token itself, which is never shown again. Only the
 * SHA-256 is stored, so a lost token is revoked and replaced, not recovered.
 */
export async function createApiToken(
  db: ScopedDb,
  access: TenantAccess,
  input: NewApiToken,
  now = new Date(),
): Promise<{ token: string; apiToken: ApiTokenView }> {
  const domain = await reachableDomain(db, input.tenantId);
  requireOwner(access, domain, "create API tokens");
  if (input.expiresAt.getTime() <= now.getTime()) throw new Invalid("the expiry must be in the future");
  if (input.expiresAt.getTime() > now.getTime() + API_TOKEN_MAX_DAYS * 86_400_000) {
    throw new Invalid(`a token may live at most ${API_TOKEN_MAX_DAYS} days`);
  }
  const secret = newApiTokenSecret();
  const created = await db.$transaction(async (tx) => {
    const row = await tx.apiToken.create({
      data: {
        tenantId: domain.id,
        name: input.name,
        prefix: secret.prefix,
        tokenHash: secret.tokenHash,
        role: input.role,
        createdById: access.actor.id ?? null,
        createdBy: access.actor.label,
        expiresAt: input.expiresAt,
      },
      select: TOKEN_SELECT,
    });
    await appendAudit(tx, {
      tenantId: domain.id,
      actorId: access.actor.id,
      actorLabel: access.actor.label,
      action: "apiToken.create",
      targetType: "apiToken",
      targetId: row.id,
      after: { name: row.name, prefix: row.prefix, role: row.role, expiresAt: row.expiresAt.toISOString() },
    });
    return row;
  });
  const [apiToken] = await toViews(db, [created], now);
  return { token: secret.token, apiToken: apiToken! };
}

/** The tokens of a domain and of every domain below it, newest first. */
export async function listApiTokens(
  db: ScopedDb,
  access: TenantAccess,
  input: { tenantId: string },
  now = new Date(),
): Promise<ApiTokenView[]> {
  const domain = await reachableDomain(db, input.tenantId);
  requireOwner(access, domain, "see its API tokens");
  const rows = await db.apiToken.findMany({
    where: { tenant: { ancestorIds: { has: domain.id } } },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    take: 500,
    select: TOKEN_SELECT,
  });
  return toViews(db, rows, now);
}

/** Revokes a token at once; revoking it again changes nothing. */
export async function revokeApiToken(
  db: ScopedDb,
  access: TenantAccess,
  input: { tokenId: string },
  now = new Date(),
): Promise<ApiTokenView> {
  const token = await db.apiToken.findUnique({ where: { id: input.tokenId }, select: TOKEN_SELECT });
  if (!token) throw new NotFound("API token");
  requireOwner(access, token.tenant, "revoke its API tokens");
  if (token.revokedAt) return (await toViews(db, [token], now))[0]!;
  const revoked = await db.$transaction(async (tx) => {
    const row = await tx.apiToken.update({
      where: { id: token.id },
      data: { revokedAt: now, revokedBy: access.actor.label },
      select: TOKEN_SELECT,
    });
    await appendAudit(tx, {
      tenantId: token.tenant.id,
      actorId: access.actor.id,
      actorLabel: access.actor.label,
      action: "apiToken.revoke",
      targetType: "apiToken",
      targetId: token.id,
      before: { name: token.name, prefix: token.prefix, role: token.role },
    });
    return row;
  });
  return (await toViews(db, [revoked], now))[0]!;
}
