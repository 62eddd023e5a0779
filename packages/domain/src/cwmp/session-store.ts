import { type Db, Prisma, queryRows } from "@beacon/db";
import { isSessionState, type SessionState } from "./session-state.ts";

type Sql = Pick<Prisma.TransactionClient, "$queryRaw" | "$executeRaw">;

/** A session that has neither ended nor gone idle past its timeout. */
export interface LiveSession {
  id: string;
  deviceId: string;
  namespace: string;
  state: SessionState;
}

export function expiryOf(now: Date, timeoutSeconds: number): Date {
  return new Date(now.getTime() + timeoutSeconds * 1000);
}

export async function loadLiveSession(db: Sql, sessionId: string, now: Date): Promise<LiveSession | null> {
  if (!/^[0-9a-f-]{36}$/i.test(sessionId)) return null;
  const rows = await queryRows<{ id: string; deviceId: string; namespace: string; state: unknown }>(
    db,
    Prisma.sql`
    SELECT "id", "deviceId", "namespace", "state" FROM "CwmpSession"
    WHERE "id" = ${sessionId}::uuid AND "live" AND "expiresAt" > ${now}::timestamptz`,
  );
  const row = rows[0];
  if (!row || !isSessionState(row.state)) return null;
  return { id: row.id, deviceId: row.deviceId, namespace: row.namespace, state: row.state };
}

/** The live session of a device, for CPEs that do not return the session cookie. */
export async function findLiveSessionOfDevice(db: Sql, deviceId: string, now: Date): Promise<LiveSession | null> {
  const rows = await db.$queryRaw<{ id: string }[]>`
    SELECT "id" FROM "CwmpSession" WHERE "deviceId" = ${deviceId}::uuid AND "live" AND "expiresAt" > ${now}::timestamptz
    ORDER BY "createdAt" DESC LIMIT 1`;
  return rows[0] ? loadLiveSession(db, rows[0].id, now) : null;
}

export async function saveSession(sql: Sql, session: LiveSession, now: Date, timeoutSeconds: number): Promise<void> {
  await sql.$executeRaw`
    UPDATE "CwmpSession" SET "state" = ${JSON.stringify(session.state)}::jsonb, "lastSeenAt" = ${now}::timestamptz,
      "expiresAt" = ${expiryOf(now, timeoutSeconds)}::timestamptz
    WHERE "id" = ${session.id}::uuid`;
}

/** Ends a session; says whether its device has a checkout pending, for the hook that settles checkouts. */
export async function endSession(sql: Sql, sessionId: string, now: Date): Promise<{ checkoutPending: boolean }> {
  const rows = await sql.$queryRaw<{ checkoutPending: boolean }[]>`
    UPDATE "CwmpSession" s SET "ended" = true, "live" = NULL, "lastSeenAt" = ${now}::timestamptz
    WHERE s."id" = ${sessionId}::uuid
    RETURNING EXISTS (SELECT 1 FROM "Checkout" k WHERE k."deviceId" = s."deviceId" AND k."state" = 'pending')
      AS "checkoutPending"`;
  return { checkoutPending: rows[0]?.checkoutPending ?? false };
}

/** Housekeeping: sessions idle past their timeout are ended, which also frees their device. */
export async function endExpiredSessions(db: Db, now: Date): Promise<number> {
  return db.$executeRaw`
    UPDATE "CwmpSession" SET "ended" = true, "live" = NULL WHERE "live" AND "expiresAt" <= ${now}::timestamptz`;
}
