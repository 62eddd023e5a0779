import { createHmac, randomBytes } from "node:crypto";
import { type Db, Prisma, queryRows } from "@beacon/db";
import type { CredentialOwner } from "./credentials.ts";
import { constantTimeEqual } from "./digest.ts";

/** Seconds a digest nonce stays usable; a CPE then gets `stale=true` and retries without asking its user. */
export const NONCE_LIFETIME_SECONDS = 300;

/**
 * Digest nonces that need no row to issue: the issue time, 8 random bytes and an HMAC of both, in hex (some CPE
 * stacks take nothing else in a nonce). Any process with the same key can check one, so a 401 costs no database
 * work; the nonce count is tracked in DigestNonce from the nonce's first use (useNonceFindOwner).
 */
export function createNonces(key: string | Buffer) {
  const mac = (body: string) => createHmac("sha256", key).update(body).digest("hex").slice(0, 32);
  return {
    issue(now: Date): string {
      const body =
        Math.floor(now.getTime() / 1000)
          .toString(16)
          .padStart(10, "0") + randomBytes(8).toString("hex");
      return body + mac(body);
    },
    /** "ok" with the nonce's expiry, "stale" once past its lifetime, "unknown" if Beacon did not issue it. */
    check(nonce: string, now: Date): { state: "ok"; expiresAt: Date } | { state: "stale" | "unknown" } {
      if (!/^[0-9a-f]{58}$/.test(nonce)) return { state: "unknown" };
      const body = nonce.slice(0, 26);
      if (!constantTimeEqual(nonce.slice(26), mac(body))) return { state: "unknown" };
      const expiresAt = new Date((Number.parseInt(body.slice(0, 10), 16) + NONCE_LIFETIME_SECONDS) * 1000);
      return expiresAt > now ? { state: "ok", expiresAt } : { state: "stale" };
    },
  };
}

export type Nonces = ReturnType<typeof createNonces>;

/**
 * The key of createNonces for CPE Digest: every ingress process shares the bootstrap credential, so it is derived
 * from it. Knowing it forges nothing that matters: a nonce is covered by the digest response, which needs the
 * device's password, and a captured request's nonce count is spent.
 */
export function nonceKey(bootstrapPassword: string): Buffer {
  return createHmac("sha256", "beacon cwmp digest nonce").update(bootstrapPassword).digest();
}

/**
 * Spends a nonce count of a nonce that createNonces' check accepted, and finds the device a username belongs to
 * (findCredentialOwner), in one round trip. A count is accepted only if it is higher than any seen before for
 * that nonce (RFC 7616 3.4), in one atomic statement so two processes cannot both accept the same request. The
 * count is spent before the response is checked, which costs an attacker nothing it could use: a client's next
 * request counts higher.
 */
export async function useNonceFindOwner(
  db: Db,
  input: { nonce: string; expiresAt: Date; count: number; username: string; now: Date },
): Promise<{ nonce: "ok" | "replayed"; owner: CredentialOwner | null }> {
  const rows = await queryRows<CredentialOwner & { used: bigint | string }>(
    db,
    Prisma.sql`
    WITH used AS (
      INSERT INTO "DigestNonce" ("nonce", "lastCount", "createdAt", "expiresAt")
      VALUES (${input.nonce}, ${input.count}::int, ${input.now}::timestamptz, ${input.expiresAt}::timestamptz)
      ON CONFLICT ("nonce") DO UPDATE SET "lastCount" = EXCLUDED."lastCount"
      WHERE "DigestNonce"."lastCount" < EXCLUDED."lastCount"
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM used) AS "used", d."id", d."oui", d."productClass", d."serialNumber", d."cwmpHa1Md5",
      d."cwmpHa1Sha256"
    FROM (SELECT 1) AS one LEFT JOIN "Device" d ON d."cwmpUsername" = ${input.username}`,
  );
  const { used, ...device } = rows[0]!;
  return { nonce: Number(used) === 1 ? "ok" : "replayed", owner: device.id ? device : null };
}

export async function purgeExpiredNonces(db: Db, now: Date): Promise<number> {
  const { count } = await db.digestNonce.deleteMany({ where: { expiresAt: { lt: now } } });
  return count;
}
