import type { Db } from "@beacon/db";
import { verifyPassword } from "./password.ts";

export type SignInResult =
  | { ok: true; user: { id: string; email: string; name: string; sessionVersion: number } }
  | { ok: false; reason: "invalid-credentials" | "disabled" }
  | { ok: false; reason: "locked"; retryAfterSeconds: number };

// Failures beyond this many in a row lock the account for a growing delay: 5 s, 10 s, 20 s ... capped at 15 min.
const FREE_ATTEMPTS = 3;
const MAX_LOCK_SECONDS = 15 * 60;

export function lockSecondsAfter(failures: number): number {
  if (failures < FREE_ATTEMPTS) return 0;
  return Math.min(MAX_LOCK_SECONDS, 5 * 2 ** (failures - FREE_ATTEMPTS));
}

/** Checks an email and password, slowing down repeated failures per account. */
export async function signIn(db: Db, email: string, password: string, now = new Date()): Promise<SignInResult> {
  const user = await db.user.findUnique({ where: { email: normalizeEmail(email) } });
  if (!user) {
    // Same work as a real check, so that timing does not reveal which emails exist.
    await verifyPassword(password, DUMMY_HASH);
    return { ok: false, reason: "invalid-credentials" };
  }
  if (user.lockedUntil && user.lockedUntil > now) {
    return {
      ok: false,
      reason: "locked",
      retryAfterSeconds: Math.ceil((user.lockedUntil.getTime() - now.getTime()) / 1000),
    };
  }
  if (!(await verifyPassword(password, user.passwordHash))) {
    const failures = user.failedSignIns + 1;
    const lockSeconds = lockSecondsAfter(failures);
    await db.user.update({
      where: { id: user.id },
      data: { failedSignIns: failures, lockedUntil: lockSeconds ? new Date(now.getTime() + lockSeconds * 1000) : null },
    });
    if (lockSeconds) return { ok: false, reason: "locked", retryAfterSeconds: lockSeconds };
    return { ok: false, reason: "invalid-credentials" };
  }
  if (user.disabled) return { ok: false, reason: "disabled" };
  await db.user.update({
    where: { id: user.id },
    data: { failedSignIns: 0, lockedUntil: null, lastSignInAt: now },
  });
  return { ok: true, user: { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion } };
}

/**
 * Whether a session made at `sessionVersion` still counts: the account exists, is enabled, and has not signed out,
 * changed its password or been disabled since. Checked on every request.
 */
export async function sessionStillValid(db: Db, userId: string, sessionVersion: number): Promise<boolean> {
  if (!/^[0-9a-f-]{36}$/i.test(userId)) return false;
  const user = await db.user.findUnique({ where: { id: userId }, select: { disabled: true, sessionVersion: true } });
  return user !== null && !user.disabled && user.sessionVersion === sessionVersion;
}

/** Signing out ends every session of the account, not only the browser's cookie. */
export async function endSessions(db: Db, userId: string): Promise<void> {
  await db.user.updateMany({ where: { id: userId }, data: { sessionVersion: { increment: 1 } } });
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function describeSignInFailure(result: Exclude<SignInResult, { ok: true }>): string {
  switch (result.reason) {
    case "invalid-credentials":
      return "The email or password is not right.";
    case "disabled":
      return "This account is disabled. Ask an owner of your domain to enable it.";
    case "locked":
      return `Too many failed attempts. Try again in ${result.retryAfterSeconds} seconds.`;
  }
}

// A valid hash of a random password, used only to spend equal time on unknown emails.
const DUMMY_HASH = "scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
