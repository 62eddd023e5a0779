import type { Db } from "@beacon/db";
import { createTestDatabase, type TestDatabase } from "@beacon/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn } from "../src/auth/sign-in.ts";
import { Conflict, NotAllowed, NotFound } from "../src/errors.ts";
import { createTenancy, type Tenancy } from "../src/tenancy/tenancy.ts";
import { loadTenantAccess, type TenantAccess } from "../src/tenancy/tenant-access.ts";
import { createTenant } from "../src/tenants/tenants.ts";
import { type InviteUserInput, inviteUser } from "../src/users/invite-user.ts";
import { createUser } from "../src/users/users.ts";
import { actor, domainTree } from "./support/domains.ts";

/** An owner of one hotel invites people; some of their emails already have accounts in domains the owner cannot see. */
describe("inviting a user", () => {
  let database: TestDatabase;
  let db: Db;
  let tenancy: Tenancy;
  let hotelId: string;
  let otherCustomerId: string;
  let hotelOwner: TenantAccess;
  let hotelViewer: TenantAccess;

  const ELSEWHERE_PASSWORD = "their own long password";
  const CHOSEN_PASSWORD = "the inviter's chosen password";

  beforeAll(async () => {
    database = await createTestDatabase();
    db = database.db;
    tenancy = createTenancy(db);
    const tree = await domainTree(db, "invite");
    hotelId = tree.hotel.id;
    otherCustomerId = (
      await createTenant(db, { name: "Another integrator", kind: "integrator", parentId: tree.platform.id })
    ).id;
    const owner = await createUser(
      db,
      { email: "owner@azur.example.com", password: "owner long password", tenantId: hotelId, role: "owner" },
      actor,
    );
    const viewer = await createUser(
      db,
      { email: "viewer@azur.example.com", password: "viewer long password", tenantId: hotelId, role: "viewer" },
      actor,
    );
    await createUser(
      db,
      {
        email: "someone@elsewhere.example.com",
        name: "Someone Elsewhere",
        password: ELSEWHERE_PASSWORD,
        tenantId: otherCustomerId,
        role: "operator",
      },
      actor,
    );
    hotelOwner = (await loadTenantAccess(db, owner.id))!;
    hotelViewer = (await loadTenantAccess(db, viewer.id))!;
  });
  afterAll(() => database?.drop());

  /** What users.invite does. */
  function invite(access: TenantAccess, tenantId: string, person: InviteUserInput) {
    return tenancy.withinReach(access, { domainId: tenantId }, "user.manage", (unscoped, domain) =>
      inviteUser(unscoped, domain.id, access.actor, person),
    );
  }

  async function inviteRecord(userId: string) {
    const row = await db.auditEvent.findFirstOrThrow({ where: { action: "user.invite", targetId: userId } });
    return { tenantId: row.tenantId, actorLabel: row.actorLabel, after: row.after };
  }

  it("answers an email that has an account elsewhere as it answers a new one, and gives that account the role", async () => {
    const fresh = await invite(hotelOwner, hotelId, {
      email: "newcomer@azur.example.com",
      name: "Newcomer",
      password: CHOSEN_PASSWORD,
      role: "viewer",
    });
    const existing = await invite(hotelOwner, hotelId, {
      email: "Someone@Elsewhere.example.com ",
      name: "Whatever the inviter typed",
      password: CHOSEN_PASSWORD,
      role: "viewer",
    });
    expect(Object.keys(existing)).toEqual(Object.keys(fresh));
    expect(await inviteRecord(existing.id)).toEqual({
      tenantId: hotelId,
      actorLabel: "owner@azur.example.com",
      after: { email: "someone@elsewhere.example.com", role: "viewer", domain: "invite Hotel Azur" },
    });
    expect(await inviteRecord(fresh.id)).toEqual({
      tenantId: hotelId,
      actorLabel: "owner@azur.example.com",
      after: { email: "newcomer@azur.example.com", role: "viewer", domain: "invite Hotel Azur" },
    });

    const account = await db.user.findUniqueOrThrow({
      where: { id: existing.id },
      include: { memberships: { orderBy: { createdAt: "asc" } } },
    });
    expect(account.memberships.map((m) => [m.tenantId, m.role])).toEqual([
      [otherCustomerId, "operator"],
      [hotelId, "viewer"],
    ]);
    // Nobody sets another person's password or name: the account keeps its own.
    expect(account.name).toBe("Someone Elsewhere");
    const address = "192.0.2.80";
    expect(
      (await signIn(db, { email: "someone@elsewhere.example.com", password: ELSEWHERE_PASSWORD, address })).ok,
    ).toBe(true);
    expect(
      await signIn(db, { email: "someone@elsewhere.example.com", password: CHOSEN_PASSWORD, address }),
    ).toMatchObject({ ok: false });
    expect((await signIn(db, { email: "newcomer@azur.example.com", password: CHOSEN_PASSWORD, address })).ok).toBe(
      true,
    );
  });

  it("refuses the invitation only when the person already has a role on this very domain", async () => {
    for (const email of ["newcomer@azur.example.com", "someone@elsewhere.example.com"]) {
      const again = invite(hotelOwner, hotelId, { email, password: CHOSEN_PASSWORD, role: "operator" });
      await expect(again).rejects.toThrow(Conflict);
      await expect(again).rejects.toThrow(`${email} already has a role on invite Hotel Azur`);
    }
  });

  it("checks the email and the password before looking at any account", async () => {
    await expect(
      invite(hotelOwner, hotelId, { email: "someone@elsewhere", password: CHOSEN_PASSWORD, role: "viewer" }),
    ).rejects.toThrow("someone@elsewhere is not an email address");
    await expect(
      invite(hotelOwner, hotelId, { email: "someone@elsewhere.example.com", password: "short", role: "viewer" }),
    ).rejects.toThrow("a password needs at least 10 characters");
  });

  it("lets neither a viewer nor an owner of another domain invite anyone here", async () => {
    const person = { email: "planted@example.com", password: CHOSEN_PASSWORD, role: "owner" as const };
    await expect(invite(hotelViewer, hotelId, person)).rejects.toThrow(NotAllowed);
    await expect(invite(hotelOwner, otherCustomerId, person)).rejects.toThrow(NotFound);
    expect(await db.user.count({ where: { email: "planted@example.com" } })).toBe(0);
  });
});
