import type { Db } from "@beacon/db";
import { createTestDatabase, type TestDatabase } from "@beacon/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiToken, listApiTokens, revokeApiToken } from "../src/api-tokens/api-tokens.ts";
import { authenticateApiToken } from "../src/api-tokens/authenticate-token.ts";
import { hashApiToken } from "../src/api-tokens/token-secret.ts";
import { NotAllowed, NotFound } from "../src/errors.ts";
import { loadTenantAccess, type TenantAccess } from "../src/tenancy/tenant-access.ts";
import { tenantScope } from "../src/tenancy/tenant-scope.ts";
import { createTenant } from "../src/tenants/tenants.ts";
import { domainTree } from "./support/domains.ts";

const DAY = 86_400_000;

describe("API tokens", () => {
  let database: TestDatabase;
  let db: Db;
  let tree: Awaited<ReturnType<typeof domainTree>>;
  let owner: TenantAccess;
  let operator: TenantAccess;
  let strangerId: string;
  const inAMonth = () => new Date(Date.now() + 30 * DAY);

  async function person(email: string, tenantId: string, role: "owner" | "operator") {
    const user = await db.user.create({
      data: { email, passwordHash: "scrypt$unused", memberships: { create: { tenantId, role } } },
    });
    return (await loadTenantAccess(db, user.id))!;
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    db = database.db;
    tree = await domainTree(db, "tokens");
    strangerId = (await createTenant(db, { name: "Elsewhere", kind: "integrator", parentId: tree.platform.id })).id;
    owner = await person("owner@tokens.example.com", tree.integrator.id, "owner");
    operator = await person("operator@tokens.example.com", tree.integrator.id, "operator");
  });
  afterAll(() => database?.drop());

  it("shows a new token once and keeps only its SHA-256 and a visible prefix", async () => {
    const { token, apiToken } = await createApiToken(tenantScope(db, owner), owner, {
      tenantId: tree.hotel.id,
      name: "PMS",
      role: "support",
      expiresAt: inAMonth(),
    });
    expect(token).toMatch(/^bcn_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/);
    expect(token.startsWith(`${apiToken.prefix}_`)).toBe(true);
    expect(apiToken).toMatchObject({ name: "PMS", role: "support", status: "active", createdBy: owner.actor.label });
    const row = await db.apiToken.findUniqueOrThrow({ where: { id: apiToken.id } });
    expect(row.tokenHash).toBe(hashApiToken(token));
    expect(JSON.stringify(row)).not.toContain(token.slice(apiToken.prefix.length + 1));
    const listed = await listApiTokens(tenantScope(db, owner), owner, { tenantId: tree.integrator.id });
    expect(JSON.stringify(listed)).not.toContain(token);
    expect(listed.map((t) => [t.prefix, t.domain.path])).toContainEqual([
      apiToken.prefix,
      ["tokens integrator", "tokens Hotel Azur"],
    ]);
    const scopedRow = await tenantScope(db, owner).apiToken.findUniqueOrThrow({ where: { id: apiToken.id } });
    expect(scopedRow).not.toHaveProperty("tokenHash");
    expect(
      await db.auditEvent.count({ where: { action: "apiToken.create", targetId: apiToken.id, actorId: owner.userId } }),
    ).toBe(1);
  });

  it("lets only owners create tokens, within their reach, with an expiry in the coming two years", async () => {
    const input = { tenantId: tree.hotel.id, name: "x", role: "viewer" as const, expiresAt: inAMonth() };
    await expect(createApiToken(tenantScope(db, operator), operator, input)).rejects.toThrow(NotAllowed);
    await expect(createApiToken(tenantScope(db, owner), owner, { ...input, tenantId: strangerId })).rejects.toThrow(
      NotFound,
    );
    await expect(
      createApiToken(tenantScope(db, owner), owner, { ...input, expiresAt: new Date(Date.now() - 1000) }),
    ).rejects.toThrow("the expiry must be in the future");
    await expect(
      createApiToken(tenantScope(db, owner), owner, { ...input, expiresAt: new Date(Date.now() + 800 * DAY) }),
    ).rejects.toThrow("at most 730 days");
  });

  it("turns a valid token into a tenant access with one membership on its domain", async () => {
    const { token, apiToken } = await createApiToken(tenantScope(db, owner), owner, {
      tenantId: tree.hotel.id,
      name: "script",
      role: "operator",
      expiresAt: inAMonth(),
    });
    const result = await authenticateApiToken(db, `Bearer ${token}`);
    expect(result).toMatchObject({
      ok: true,
      token: { id: apiToken.id, role: "operator", tenantId: tree.hotel.id },
      access: {
        userId: owner.userId,
        actor: { id: owner.userId, label: `token:${apiToken.prefix}` },
        memberships: [{ tenantId: tree.hotel.id, role: "operator" }],
      },
    });
    expect((await db.apiToken.findUniqueOrThrow({ where: { id: apiToken.id } })).lastUsedAt).not.toBeNull();
  });

  it("refuses missing, malformed, unknown, expired and revoked tokens, each with its reason", async () => {
    const { token, apiToken } = await createApiToken(tenantScope(db, owner), owner, {
      tenantId: tree.integrator.id,
      name: "short-lived",
      role: "viewer",
      expiresAt: new Date(Date.now() + 60_000),
    });
    expect(await authenticateApiToken(db, null)).toMatchObject({ ok: false, reason: "missing" });
    expect(await authenticateApiToken(db, `Basic ${token}`)).toMatchObject({ ok: false, reason: "malformed" });
    expect(await authenticateApiToken(db, `Bearer ${token}x`)).toMatchObject({ ok: false, reason: "malformed" });
    const otherLast = token.endsWith("A") ? "B" : "A";
    expect(await authenticateApiToken(db, `Bearer ${token.slice(0, -1)}${otherLast}`)).toMatchObject({
      ok: false,
      reason: "unknown",
      token: null,
    });
    expect(await authenticateApiToken(db, `Bearer ${token}`, new Date(Date.now() + 120_000))).toMatchObject({
      ok: false,
      reason: "expired",
      token: { id: apiToken.id },
    });
    await revokeApiToken(tenantScope(db, owner), owner, { tokenId: apiToken.id });
    expect(await authenticateApiToken(db, `Bearer ${token}`)).toMatchObject({ ok: false, reason: "revoked" });
    const [listed] = (await listApiTokens(tenantScope(db, owner), owner, { tenantId: tree.integrator.id })).filter(
      (t) => t.id === apiToken.id,
    );
    expect(listed).toMatchObject({ status: "revoked", revokedBy: owner.actor.label });
  });

  it("does not let an owner of another domain revoke or see a token", async () => {
    const { apiToken } = await createApiToken(tenantScope(db, owner), owner, {
      tenantId: tree.hotel.id,
      name: "guarded",
      role: "viewer",
      expiresAt: inAMonth(),
    });
    const elsewhere = await person("owner@elsewhere.example.com", strangerId, "owner");
    await expect(revokeApiToken(tenantScope(db, elsewhere), elsewhere, { tokenId: apiToken.id })).rejects.toThrow(
      NotFound,
    );
    await expect(listApiTokens(tenantScope(db, elsewhere), elsewhere, { tenantId: tree.hotel.id })).rejects.toThrow(
      NotFound,
    );
    const hotelOperator = await person("desk@tokens.example.com", tree.hotel.id, "operator");
    await expect(
      revokeApiToken(tenantScope(db, hotelOperator), hotelOperator, { tokenId: apiToken.id }),
    ).rejects.toThrow("only an owner of this domain may revoke its API tokens");
  });
});
