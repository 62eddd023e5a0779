import { isIPv4, isIPv6 } from "node:net";
import type { Db, SignInLimitScope } from "@beacon/db";

/**
 * How failed sign-ins slow down guessing without handing a stranger a way to lock someone out:
 * - `pair`: one email from one address. Its owner typing a wrong password waits here; a stranger hammering an
 *   account waits here too, and the owner signing in from elsewhere is not affected.
 * - `address`: every email from one address, against spraying one password over many accounts.
 * - `account`: one email from addresses it has not signed in from lately, against guessing from many addresses.
 * An address the account signed in from within KNOWN_FOR_DAYS waits only for its own pair: however a stranger
 * hammers the account or shares (or claims) the owner's address, the owner still gets in from where they did before.
 * Past `free` failures each one doubles the wait (5 s, 10 s, 20 s...) up to 15 minutes; a count is forgotten once no
 * failure has come for `forgetAfter`. Emails are counted whether or not an account has them, so a limit reveals
 * nothing about which accounts exist.
 */
export const SIGN_IN_LIMITS: Record<SignInLimitScope, { free: number; forgetAfterSeconds: number }> = {
  pair: { free: 3, forgetAfterSeconds: 24 * 60 * 60 },
  address: { free: 20, forgetAfterSeconds: 60 * 60 },
  account: { free: 10, forgetAfterSeconds: 24 * 60 * 60 },
};

const FIRST_WAIT_SECONDS = 5;
const MAX_WAIT_SECONDS = 15 * 60;
const KNOWN_FOR_DAYS = 90;

/** The wait imposed after the `failures`th failure in a row. */
export function waitSecondsAfter(failures: number, free: number): number {
  if (failures < free) return 0;
  return Math.min(MAX_WAIT_SECONDS, FIRST_WAIT_SECONDS * 2 ** (failures - free));
}

export interface SignInAttempt {
  email: string;
  address: string;
}

export interface SignInWait {
  scope: SignInLimitScope;
  retryAfterSeconds: number;
}

type Key = { scope: SignInLimitScope; email: string; address: string };

function keysOf(attempt: SignInAttempt): Record<SignInLimitScope, Key> {
  return {
    pair: { scope: "pair", email: attempt.email, address: attempt.address },
    address: { scope: "address", email: "", address: attempt.address },
    account: { scope: "account", email: attempt.email, address: "" },
  };
}

/** The longest wait that applies to this attempt now, and whether its address is one the email signed in from. */
export async function signInWait(
  db: Db,
  attempt: SignInAttempt,
  now: Date,
): Promise<{ wait: SignInWait | null; knownAddress: boolean }> {
  const keys = keysOf(attempt);
  const rows = await db.signInLimit.findMany({ where: { OR: Object.values(keys) } });
  const row = (scope: SignInLimitScope) => rows.find((r) => r.scope === scope);
  const knownAddress = isKnown(row("pair")?.lastSuccessAt ?? null, now);
  let wait: SignInWait | null = null;
  for (const scope of ["pair", "address", "account"] as const) {
    if (scope !== "pair" && knownAddress) continue;
    const until = row(scope)?.blockedUntil;
    if (!until || until <= now) continue;
    const retryAfterSeconds = Math.ceil((until.getTime() - now.getTime()) / 1000);
    if (!wait || retryAfterSeconds > wait.retryAfterSeconds) wait = { scope, retryAfterSeconds };
  }
  return { wait, knownAddress };
}

/**
 * Counts a failed sign-in (atomically, as several console processes share the table) and answers the longest wait
 * it starts, or null. From an address the email signed in from lately, the account's count is left alone and only
 * the pair's wait applies.
 */
export async function recordSignInFailure(
  db: Db,
  attempt: SignInAttempt,
  knownAddress: boolean,
  now: Date,
): Promise<SignInWait | null> {
  const keys = keysOf(attempt);
  const scopes: SignInLimitScope[] = knownAddress ? ["pair", "address"] : ["pair", "address", "account"];
  let wait: SignInWait | null = null;
  for (const scope of scopes) {
    const { email, address } = keys[scope];
    const { free, forgetAfterSeconds } = SIGN_IN_LIMITS[scope];
    const forgetBefore = new Date(now.getTime() - forgetAfterSeconds * 1000);
    const [counted] = await db.$queryRaw<{ failures: number }[]>`
      INSERT INTO "SignInLimit" ("scope", "email", "address", "failures", "lastFailureAt")
      VALUES (${scope}::"SignInLimitScope", ${email}, ${address}, 1, ${now}::timestamptz)
      ON CONFLICT ("scope", "email", "address") DO UPDATE SET
        "failures" = CASE
          WHEN "SignInLimit"."lastFailureAt" IS NULL OR "SignInLimit"."lastFailureAt" < ${forgetBefore}::timestamptz
          THEN 1 ELSE "SignInLimit"."failures" + 1 END,
        "lastFailureAt" = EXCLUDED."lastFailureAt"
      RETURNING "failures"`;
    const seconds = waitSecondsAfter(counted?.failures ?? 1, free);
    if (seconds === 0) continue;
    const until = new Date(now.getTime() + seconds * 1000);
    await db.$executeRaw`
      UPDATE "SignInLimit" SET "blockedUntil" = GREATEST(COALESCE("blockedUntil", ${until}::timestamptz), ${until}::timestamptz)
      WHERE "scope" = ${scope}::"SignInLimitScope" AND "email" = ${email} AND "address" = ${address}`;
    if (knownAddress && scope !== "pair") continue;
    if (!wait || seconds > wait.retryAfterSeconds) wait = { scope, retryAfterSeconds: seconds };
  }
  return wait;
}

/** The account signed in from this address: its failures there are forgiven and the address becomes known. */
export async function recordSignInSuccess(db: Db, attempt: SignInAttempt, now: Date): Promise<void> {
  const key = keysOf(attempt).pair;
  await db.signInLimit.upsert({
    where: { scope_email_address: key },
    create: { ...key, lastSuccessAt: now },
    update: { failures: 0, blockedUntil: null, lastSuccessAt: now },
  });
}

/** A new password or re-enabling an account starts its counts afresh (the per-address counts stay). */
export async function clearSignInLimits(db: Pick<Db, "signInLimit">, email: string): Promise<void> {
  await db.signInLimit.updateMany({
    where: { email, scope: { in: ["pair", "account"] } },
    data: { failures: 0, blockedUntil: null },
  });
}

/** Rows whose counts are forgotten, waits over, and success too old to make the address known. */
export async function purgeStaleSignInLimits(db: Db, now: Date): Promise<number> {
  const longestForget = Math.max(...Object.values(SIGN_IN_LIMITS).map((l) => l.forgetAfterSeconds));
  const { count } = await db.signInLimit.deleteMany({
    where: {
      AND: [
        { OR: [{ lastFailureAt: null }, { lastFailureAt: { lt: new Date(now.getTime() - longestForget * 1000) } }] },
        { OR: [{ blockedUntil: null }, { blockedUntil: { lt: now } }] },
        { OR: [{ lastSuccessAt: null }, { lastSuccessAt: { lt: knownSince(now) } }] },
      ],
    },
  });
  return count;
}

function knownSince(now: Date): Date {
  return new Date(now.getTime() - KNOWN_FOR_DAYS * 24 * 60 * 60 * 1000);
}

function isKnown(lastSuccessAt: Date | null, now: Date): boolean {
  return lastSuccessAt !== null && lastSuccessAt >= knownSince(now);
}

/**
 * The client's address from X-Forwarded-For as the console sees it. Next.js fills the header with the socket's
 * address when the request has none, and a reverse proxy in front appends the address it saw: either way the last
 * entry is the one no client chose. (Without a proxy a client can send its own header and pick its address; the
 * pair and account limits still hold then, as they do not depend on it.) An IPv6 client counts by its /64, the
 * smallest block a subscriber gets.
 */
export function clientAddress(forwardedFor: string | null | undefined): string {
  const last = (forwardedFor ?? "").split(",").pop()?.trim() ?? "";
  const mapped = last.toLowerCase().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, "");
  if (isIPv4(mapped)) return mapped;
  if (isIPv6(mapped)) return `${ipv6Groups(mapped).slice(0, 4).join(":")}::/64`;
  return "unknown";
}

function ipv6Groups(address: string): string[] {
  const [head = "", tail] = address.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const groups = tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill("0"), ...right];
  return groups.map((g) => g.replace(/^0+(?=.)/, ""));
}
