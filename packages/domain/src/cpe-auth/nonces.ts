import { randomBytes } from "node:crypto";
import type { Db } from "@beacon/db";
import type { CredentialOwner } from "./credentials.ts";

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
  return updated === 1 ? "ok" : nonceState(db, nonce, now);
}

/**
 * useNonce and findCredentialOwner in one round trip, for the hot path. The count is spent before the
 * response is checked, which costs an attacker nothing it could use: a client's next request counts higher.
 */
export async function useNonceFindOwner(
  db: Db,
  input: { nonce: string; count: number; username: string; now: Date },
): Promise<{ nonce: NonceUse; owner: CredentialOwner | null }> {
  const rows = await db.$queryRaw<(CredentialOwner & { used: bigint })[]>`
    WITH used AS (
      UPDATE "DigestNonce" SET "lastCount" = ${input.count}::int
      WHERE "nonce" = ${input.nonce} AND "lastCount" < ${input.count}::int AND "expiresAt" > ${input.now}::timestamptz
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM used) AS "used", d."id", d."oui", d."productClass", d."serialNumber", d."cwmpHa1Md5",
      d."cwmpHa1Sha256"
    FROM (SELECT 1) AS one LEFT JOIN "Device" d ON d."cwmpUsername" = ${input.username}`;
  const { used, ...device } = rows[0]!;
  const owner = device.id ? device : null;
  if (Number(used) === 1) return { nonce: "ok", owner };
  return { nonce: await nonceState(db, input.nonce, input.now), owner };
}

async function nonceState(db: Db, nonce: string, now: Date): Promise<NonceUse> {
  const row = await db.digestNonce.findUnique({ where: { nonce }, select: { expiresAt: true } });
  if (!row) return "unknown";
  return row.expiresAt <= now ? "stale" : "replayed";
}

export async function purgeExpiredNonces(db: Db, now: Date): Promise<number> {
  const { count } = await db.digestNonce.deleteMany({ where: { expiresAt: { lt: now } } });
  return count;
}
