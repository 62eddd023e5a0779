import type { Db } from "@beacon/db";
import { createTestDatabase, type TestDatabase } from "@beacon/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { passwordProblem } from "../src/auth/password.ts";
import { endSessions, sessionStillValid, signIn } from "../src/auth/sign-in.ts";
import { loadTenantAccess } from "../src/tenancy/tenant-access.ts";
import { tenantScope } from "../src/tenancy/tenant-scope.ts";
import { ensurePlatformTenant } from "../src/tenants/tenants.ts";
import { revokeRole } from "../src/users/revoke-role.ts";
import { setUserDisabled } from "../src/users/set-user-disabled.ts";
import { createUser, resetPassword } from "../src/users/users.ts";

/** A session is the account's session version at sign-in; these end every session made before. */
describe("ending sessions", () => {
  let database: TestDatabase;
  let db: Db;
  let tenantId: string;
  const actor = { label: "test" };

  beforeAll(async () => {
    database = await createTestDatabase();
    db = database.db;
    tenantId = (await ensurePlatformTenant(db)).id;
  });
  afterAll(() => database?.drop());

  async function signedIn(email: string, password = "a long enough password 1") {
    const result = await signIn(db, { email, password, address: "192.0.2.10" });
    if (!result.ok) throw new Error(`could not sign in: ${result.reason}`);
    expect(await sessionStillValid(db, result.user.id, result.user.sessionVersion)).toBe(true);
    return result.user;
  }

  it("ends every session of the account at sign-out", async () => {
    await createUser(
      db,
      { email: "out@example.com", password: "a long enough password 1", tenantId, role: "viewer" },
      actor,
    );
    const first = await signedIn("out@example.com");
    const second = await signedIn("out@example.com");
    await endSessions(db, first.id);
    expect(await sessionStillValid(db, first.id, first.sessionVersion)).toBe(false);
    expect(await sessionStillValid(db, second.id, second.sessionVersion)).toBe(false);
    const again = await signedIn("out@example.com");
    expect(await sessionStillValid(db, again.id, again.sessionVersion)).toBe(true);
  });

  it("ends sessions made with the old password when it is reset", async () => {
    await createUser(
      db,
      { email: "reset@example.com", password: "a long enough password 1", tenantId, role: "viewer" },
      actor,
    );
    const before = await signedIn("reset@example.com");
    await resetPassword(db, "reset@example.com", "another long password 2", actor);
    expect(await sessionStillValid(db, before.id, before.sessionVersion)).toBe(false);
    await signedIn("reset@example.com", "another long password 2");
  });

  it("ends the sessions of an account that is disabled or loses a role", async () => {
    const owner = await createUser(
      db,
      { email: "owner@example.com", password: "a long enough password 1", tenantId, role: "owner" },
      actor,
    );
    const ownerAccess = (await loadTenantAccess(db, owner.id))!;
    const person = await createUser(
      db,
      { email: "staff@example.com", password: "a long enough password 1", tenantId, role: "operator" },
      actor,
    );
    const session = await signedIn("staff@example.com");
    const membership = await db.membership.findFirstOrThrow({ where: { userId: person.id } });
    await revokeRole(tenantScope(db, ownerAccess), ownerAccess, { membershipId: membership.id });
    expect(await sessionStillValid(db, session.id, session.sessionVersion)).toBe(false);

    await db.membership.create({ data: { userId: person.id, tenantId, role: "viewer" } });
    const later = await signedIn("staff@example.com");
    await setUserDisabled(tenantScope(db, ownerAccess), ownerAccess, { userId: person.id, disabled: true });
    expect(await sessionStillValid(db, later.id, later.sessionVersion)).toBe(false);
  });
});

describe("the password policy", () => {
  it.each(["Password2024!", "qwertyuiop", "1234567890", "motdepasse123", "Welcome123!!"])(
    "refuses %s, one of the commonest passwords",
    (password) => {
      expect(passwordProblem(password)).toBe(
        "this password is among the most common ones; choose one nobody would guess",
      );
    },
  );

  it("accepts a long password of one's own", () => {
    expect(passwordProblem("a long enough password 1")).toBeUndefined();
    expect(passwordProblem("Hotel-operator-e2e-2026")).toBeUndefined();
  });
});
