import type { Db } from "@beacon/db";
import { dummyPasswordHash, verifyPassword } from "./password.ts";
import { recordSignInFailure, recordSignInSuccess, type SignInWait, signInWait } from "./sign-in-limits.ts";

export type SignInResult =
  | { ok: true; user: { id: string; email: string; name: string; sessionVersion: number } }
  | { ok: false; reason: "invalid-credentials" | "disabled" }
  | ({ ok: false; reason: "locked" } & SignInWait);

export interface SignInInput {
  email: string;
  password: string;
  /** The client's address (see clientAddress). */
  address: string;
}

export interface SignInOptions {
  now?: Date;
  /** The password check; tests wrap the real one to see that unknown emails cost the same work. */
  verify?: (password: string, stored: string) => Promise<boolean>;
}

// Nobody's email or password is longer; a longer password never matches, and is not fed whole to scrypt.
const MAX_EMAIL_LENGTH = 320;
const MAX_PASSWORD_LENGTH = 1024;

/**
 * Checks an email and password, slowing down repeated failures per address, per (email, address) and per email
 * from unfamiliar addresses (sign-in-limits.ts). An unknown email costs the same password check as a known one and
 * is counted the same way, so neither the answer, its timing nor a limit tells which emails have an account.
 */
export async function signIn(db: Db, input: SignInInput, options: SignInOptions = {}): Promise<SignInResult> {
  const now = options.now ?? new Date();
  const verify = options.verify ?? verifyPassword;
  const attempt = { email: normalizeEmail(input.email).slice(0, MAX_EMAIL_LENGTH), address: input.address };
  const { wait, knownAddress } = await signInWait(db, attempt, now);
  if (wait) return { ok: false, reason: "locked", ...wait };
  const user =
    input.password.length <= MAX_PASSWORD_LENGTH ? await db.user.findUnique({ where: { email: attempt.email } }) : null;
  const matches = await verify(input.password.slice(0, MAX_PASSWORD_LENGTH), user?.passwordHash ?? dummyPasswordHash);
  if (!user || !matches) {
    const started = await recordSignInFailure(db, attempt, knownAddress, now);
    if (started) return { ok: false, reason: "locked", ...started };
    return { ok: false, reason: "invalid-credentials" };
  }
  if (user.disabled) return { ok: false, reason: "disabled" };
  await recordSignInSuccess(db, attempt, now);
  await db.user.update({ where: { id: user.id }, data: { lastSignInAt: now } });
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
    case "locked": {
      const wait = describeWait(result.retryAfterSeconds);
      switch (result.scope) {
        case "pair":
          return `Too many failed attempts. Try again in ${wait}.`;
        case "address":
          return `Too many failed sign-ins from your network. Try again in ${wait}.`;
        case "account":
          return `Too many failed attempts on this account from other places. Try again in ${wait}, or sign in from a network you used before.`;
      }
    }
  }
}

function describeWait(seconds: number): string {
  if (seconds < 120) return `${seconds} ${seconds === 1 ? "second" : "seconds"}`;
  return `${Math.ceil(seconds / 60)} minutes`;
}
