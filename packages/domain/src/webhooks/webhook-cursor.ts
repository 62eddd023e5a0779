import type { Prisma } from "@beacon/db";

type Tx = Prisma.TransactionClient;

// pg_advisory_xact_lock keys, global to the database like the migration runner's.
export const FAN_OUT_LOCK_KEY = 72_069_3_1;
export const COLLECT_LOCK_KEY = 72_069_3_2;

/** Takes a transaction-scoped advisory lock, or answers false when another dispatcher holds it. */
export async function tryLock(tx: Tx, key: number): Promise<boolean> {
  const [row] = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(${key}::bigint) AS locked`;
  return row?.locked === true;
}

/** The database's clock: the one DomainEvent.createdAt defaults to, whichever process wrote the row. */
export async function databaseNow(tx: Pick<Tx, "$queryRaw">): Promise<Date> {
  const [row] = await tx.$queryRaw<{ now: Date }[]>`SELECT clock_timestamp() AS now`;
  return row!.now;
}
