import type { Db } from "@beacon/db";
import { createTestDatabase, type TestDatabase } from "@beacon/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyPassword } from "../src/auth/password.ts";
import { describeSignInFailure, type SignInResult, signIn } from "../src/auth/sign-in.ts";
import {
  clientAddress,
  purgeStaleSignInLimits,
  recordSignInFailure,
  SIGN_IN_LIMITS,
  waitSecondsAfter,
} from "../src/auth/sign-in-limits.ts";
import { ensurePlatformTenant } from "../src/tenants/tenants.ts";
import { createUser, resetPassword } from "../src/users/users.ts";

const PASSWORD = "the owner's own long password";
const OWNER_AT_HOME = "198.51.100.7";
const actor = { label: "test" };
// For runs of guesses that are wrong anyway: spares the CPU a few dozen scrypt checks (the real one is tested below).
const WRONG_ANYWAY = { verify: async () => false };

describe("signing in", () => {
  let database: TestDatabase;
  let db: Db;
  let tenantId: string;
  let clock = Date.parse("2026-12-04T10:00:00Z");

  beforeAll(async () => {
    database = await createTestDatabase();
    db = database.db;
    tenantId = (await ensurePlatformTenant(db)).id;
  });
  afterAll(() => database?.drop());

  /** Each attempt happens a second after the previous one, unless a test moves the clock further. */
  function attempt(email: string, password: string, address: string, options: Parameters<typeof signIn>[2] = {}) {
    clock += 1000;
    return signIn(db, { email, password, address }, { now: new Date(clock), ...options });
  }

  async function account(name: string): Promise<string> {
    const email = `${name}@hotel.example.com`;
    await createUser(db, { email, password: PASSWORD, tenantId, role: "operator" }, actor);
    // The owner has signed in from home before, which makes home an address the account knows.
    expect((await attempt(email, PASSWORD, OWNER_AT_HOME)).ok).toBe(true);
    return email;
  }

  function wait(result: SignInResult) {
    if (result.ok || result.reason !== "locked") throw new Error(`expected a wait, got ${JSON.stringify(result)}`);
    return result;
  }

  it("slows down one address guessing one account, and the owner elsewhere is not affected", async () => {
    const email = await account("hammered");
    const stranger = "203.0.113.66";
    expect(await attempt(email, "guess number 1", stranger)).toEqual({ ok: false, reason: "invalid-credentials" });
    expect(await attempt(email, "guess number 2", stranger)).toEqual({ ok: false, reason: "invalid-credentials" });
    const third = wait(await attempt(email, "guess number 3", stranger));
    expect(third).toMatchObject({ scope: "pair", retryAfterSeconds: 5 });
    expect(describeSignInFailure(third)).toBe("Too many failed attempts. Try again in 5 seconds.");

    // While the stranger waits, even the right password from the stranger's address is turned away...
    expect(wait(await attempt(email, PASSWORD, stranger)).scope).toBe("pair");
    // ...and the owner signs in from home, and from a new address, at once.
    expect((await attempt(email, PASSWORD, OWNER_AT_HOME)).ok).toBe(true);
    expect((await attempt(email, PASSWORD, "192.0.2.44")).ok).toBe(true);

    // The stranger keeps going after each wait: the wait doubles, for the stranger only.
    clock += 5000;
    expect(wait(await attempt(email, "guess number 4", stranger)).retryAfterSeconds).toBe(10);
    expect((await attempt(email, PASSWORD, OWNER_AT_HOME)).ok).toBe(true);
  });

  it("lets the owner in with the right password once their own wait is over", async () => {
    const email = await account("forgetful");
    for (let n = 1; n <= 3; n++) await attempt(email, `not it ${n}`, OWNER_AT_HOME);
    expect(wait(await attempt(email, PASSWORD, OWNER_AT_HOME)).retryAfterSeconds).toBe(4);
    clock += 4000;
    expect((await attempt(email, PASSWORD, OWNER_AT_HOME)).ok).toBe(true);
    // Success forgives the failures: the next typo is not met with a wait.
    expect(await attempt(email, "not it 4", OWNER_AT_HOME)).toEqual({ ok: false, reason: "invalid-credentials" });
  });

  it("refuses an address that sprays passwords over many accounts, sparing those who signed in from it before", async () => {
    const email = await account("sprayed");
    const sprayer = "203.0.113.99";
    // Someone who shares the sprayer's address (an office, a hotel's guest network) and signed in from it before.
    const neighbour = await account("neighbour");
    expect((await attempt(neighbour, PASSWORD, sprayer)).ok).toBe(true);
    const { free } = SIGN_IN_LIMITS.address;
    const results: SignInResult[] = [];
    for (let n = 1; n <= free; n++) {
      results.push(await attempt(`person-${n}@hotel.example.com`, "Winter2026!", sprayer, WRONG_ANYWAY));
    }
    expect(results.slice(0, free - 1).every((r) => !r.ok && r.reason === "invalid-credentials")).toBe(true);
    const refused = wait(results[free - 1]!);
    expect(refused.scope).toBe("address");
    expect(describeSignInFailure(refused)).toBe("Too many failed sign-ins from your network. Try again in 5 seconds.");
    expect(wait(await attempt(email, PASSWORD, sprayer)).scope).toBe("address");
    expect((await attempt(email, PASSWORD, "192.0.2.45")).ok).toBe(true);
    // The neighbour's own typo there is met as usual, and the right password lets them in.
    expect(await attempt(neighbour, "typo", sprayer)).toEqual({ ok: false, reason: "invalid-credentials" });
    expect((await attempt(neighbour, PASSWORD, sprayer)).ok).toBe(true);
  });

  it("slows down guessing one account from many addresses, but not from an address its owner used", async () => {
    const email = await account("distributed");
    const { free } = SIGN_IN_LIMITS.account;
    let last: SignInResult | undefined;
    for (let n = 1; n <= free; n++) last = await attempt(email, `guess ${n}`, `203.0.113.${n}`, WRONG_ANYWAY);
    const refused = wait(last!);
    expect(refused.scope).toBe("account");
    expect(describeSignInFailure(refused)).toBe(
      "Too many failed attempts on this account from other places. Try again in 5 seconds, or sign in from a network you used before.",
    );
    // A new address waits, even with the right password; the owner's usual address does not.
    expect(wait(await attempt(email, PASSWORD, "192.0.2.46")).scope).toBe("account");
    expect((await attempt(email, PASSWORD, OWNER_AT_HOME)).ok).toBe(true);
    // The owner's own typos at home do not add to the account's count.
    expect(await attempt(email, "typo", OWNER_AT_HOME)).toEqual({ ok: false, reason: "invalid-credentials" });
  });

  it("answers an unknown email exactly as a known one with a wrong password, after the same password work", async () => {
    const email = await account("known");
    const checked: { email: string; stored: string }[] = [];
    const spy = (who: string) => ({
      verify: (password: string, stored: string) => {
        checked.push({ email: who, stored });
        return verifyPassword(password, stored);
      },
    });
    const stranger = "203.0.113.150";
    const known = await attempt(email, "wrong password", stranger, spy(email));
    const unknown = await attempt("nobody@hotel.example.com", "wrong password", stranger, spy("nobody"));
    expect(unknown).toEqual(known);
    expect(unknown).toEqual({ ok: false, reason: "invalid-credentials" });

    // Each costs one scrypt check with the same parameters: an unknown email is checked against a stand-in hash.
    expect(checked.map((c) => c.email)).toEqual([email, "nobody"]);
    const parameters = (stored: string) => stored.split("$").slice(0, 4).join("$");
    expect(parameters(checked[1]!.stored)).toBe(parameters(checked[0]!.stored));
    expect(parameters(checked[0]!.stored)).toMatch(/^scrypt\$\d+\$\d+\$\d+$/);

    // And an unknown email meets the same waits, so a wait does not tell which emails have an account.
    await attempt(email, "wrong again", stranger);
    await attempt("nobody@hotel.example.com", "wrong again", stranger);
    const knownWait = wait(await attempt(email, "wrong thrice", stranger));
    const unknownWait = wait(await attempt("nobody@hotel.example.com", "wrong thrice", stranger));
    expect(unknownWait).toEqual(knownWait);
  });

  it("counts failures made at the same moment by several console processes", async () => {
    const now = new Date(clock);
    const attempt = { email: "busy@hotel.example.com", address: "203.0.113.200" };
    await Promise.all([1, 2, 3, 4, 5, 6].map(() => recordSignInFailure(db, attempt, false, now)));
    const pair = await db.signInLimit.findUniqueOrThrow({
      where: { scope_email_address: { scope: "pair", ...attempt } },
    });
    expect(pair.failures).toBe(6);
    // Whichever process finished last, the longest wait (the sixth failure's) stands.
    expect(pair.blockedUntil?.getTime()).toBe(now.getTime() + waitSecondsAfter(6, SIGN_IN_LIMITS.pair.free) * 1000);
    expect(waitSecondsAfter(6, SIGN_IN_LIMITS.pair.free)).toBe(40);
  });

  it("forgets old failures, and a new password starts the account's counts afresh", async () => {
    const email = await account("renewed");
    const stranger = "203.0.113.201";
    for (let n = 1; n <= 2; n++) await attempt(email, `old guess ${n}`, stranger);
    clock += SIGN_IN_LIMITS.pair.forgetAfterSeconds * 1000;
    expect(await attempt(email, "fresh guess", stranger)).toEqual({ ok: false, reason: "invalid-credentials" });
    expect(await attempt(email, "fresh guess 2", stranger)).toEqual({ ok: false, reason: "invalid-credentials" });
    expect(wait(await attempt(email, "fresh guess 3", stranger)).scope).toBe("pair");

    await resetPassword(db, email, "a brand new long password", actor);
    expect((await attempt(email, "a brand new long password", stranger)).ok).toBe(true);
  });

  it("purges counts that no longer matter, keeping waits and recently known addresses", async () => {
    const now = new Date(clock);
    await db.signInLimit.createMany({
      data: [
        { scope: "address", address: "192.0.2.200", failures: 3, lastFailureAt: new Date(clock - 2 * 86_400_000) },
        { scope: "address", address: "192.0.2.201", failures: 30, blockedUntil: new Date(clock + 60_000) },
        { scope: "pair", email: "x@example.com", address: "192.0.2.202", lastSuccessAt: new Date(clock - 86_400_000) },
      ],
    });
    await purgeStaleSignInLimits(db, now);
    const left = await db.signInLimit.findMany({ where: { address: { startsWith: "192.0.2.20" } } });
    expect(left.map((r) => r.address).sort()).toEqual(["192.0.2.201", "192.0.2.202"]);
  });
});

describe("the client's address", () => {
  it.each([
    ["203.0.113.9", "203.0.113.9"],
    ["10.0.0.1, 203.0.113.9", "203.0.113.9"],
    ["forged-by-client, 203.0.113.9 ", "203.0.113.9"],
    ["::ffff:203.0.113.9", "203.0.113.9"],
    ["2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"],
    ["2001:DB8:0001:2::9", "2001:db8:1:2::/64"],
    ["::1", "0:0:0:0::/64"],
    ["", "unknown"],
    [undefined, "unknown"],
    ["not an address", "unknown"],
  ])("reads %j as %s", (header, address) => {
    expect(clientAddress(header)).toBe(address);
  });
});
