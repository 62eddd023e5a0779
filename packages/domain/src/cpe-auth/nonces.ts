import { randomBytes } from "node:crypto";
import type { Db } from "@beacon/db";

/** Seconds a digest nonce stays usable; a CPE then gets `stale=true` and retries without asking its user. */
export const NONCE_LIFETIME_SECONDS = 300;

export async function issueNonce(db: Db, now: Date): Promise<string> {
  const nonce = randomBytes(16).toString("hex");
  await db.digestNonce.create({
    data: { nonce, createdAt: now, expiresAt: new Date(now.getTime() + NONCE_LIFETIME_SECONDS * 1000) },
  });
  return nonce;
}

export type NonceUse = "ok" | "replayed" | "stale" | "unknown";

/**
 * Accepts a nonce count only if it is higher than any seen before for that nonce (RFC 7616 3.4), in one
 * atomic statement so two processes cannot both accept the same request.
 */
export async function useNonce(db: Db, nonce: string, count: number, now: Date): Promise<NonceUse> {
  const updated = await db.$executeRaw`
    UPDATE "DigestNonce" SET "lastCount" = ${count}
    WHERE "nonce" = ${nonce} AND "lastCount" < ${count} AND "expiresAt" > ${now}::timestamptz`;
  if (updated === 1) return "ok";
  const row = await db.digestNonce.findUnique({ where: { nonce }, select: { expiresAt: true } });
  if (!row) return "unknown";
  return row.expiresAt <= now ? "stale" : "replayed";
}

export async function purgeExpiredNonces(db: Db, now: Date): Promise<number> {
  const { count } = await db.digestNonce.deleteMany({ where: { expiresAt: { lt: now } } });
  return count;
}
