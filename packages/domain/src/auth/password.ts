import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import { isCommonPassword } from "./common-passwords.ts";

// scrypt is memory-hard: N=2^15, r=8 uses 32 MiB per hash (OWASP's minimum is N=2^17 r=8 p=1 or equivalent
// cost; 2^15 with r=8 keeps sign-in under ~100 ms on a small server while staying memory-hard).
const N = 2 ** 15;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;
const MAX_MEMORY = 64 * 1024 * 1024;

function derive(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize("NFKC"), salt, KEY_LENGTH, { N: n, r, p, maxmem: MAX_MEMORY }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

/** `scrypt$N$r$p$salt$hash`, base64url parts: the parameters travel with the hash so they can be raised later. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, N, R, P);
  return ["scrypt", N, R, P, salt.toString("base64url"), key.toString("base64url")].join("$");
}

/**
 * What an unknown email's password is checked against: a well-formed hash with today's parameters, so the check costs
 * what a real account's does. No password matches it: its key was never derived from one.
 */
export const dummyPasswordHash = ["scrypt", N, R, P, "A".repeat(22), "A".repeat(43)].join("$");

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64url");
  const key = await derive(password, Buffer.from(salt, "base64url"), Number(n), Number(r), Number(p));
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A password a person can type once and is hard to guess: 20 characters from a 56-letter alphabet. */
export function generatePassword(length = 20): string {
  const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";
  const bytes = randomBytes(length);
  return Array.from(bytes, (byte) => alphabet[byte % alphabet.length]).join("");
}

export const MIN_PASSWORD_LENGTH = 10;

export function passwordProblem(password: string): string | undefined {
  if (password.length < MIN_PASSWORD_LENGTH) return `a password needs at least ${MIN_PASSWORD_LENGTH} characters`;
  if (isCommonPassword(password)) return "this password is among the most common ones; choose one nobody would guess";
  return undefined;
}
