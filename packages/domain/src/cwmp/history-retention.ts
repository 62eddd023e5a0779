import type { Db } from "@beacon/db";

/**
 * How long the history of CWMP contact is kept. Every periodic Inform leaves an ended CwmpSession row and a
 * DeviceEvent row (~700 B together): 100,000 devices informing every 15 minutes would add gigabytes a day.
 * Ended sessions are only useful while someone investigates a live problem; events feed the device's timeline,
 * the repeated-reboot alarm and firmware campaigns, whose windows are all far shorter than the retention.
 */
export const HISTORY_RETENTION = {
  endedSessionsHours: 24,
  eventsDays: 30,
  /** Rows deleted per statement, so that housekeeping never holds long locks or one huge transaction. */
  batch: 10_000,
  /** Statements per table per housekeeping round; the next round goes on where this one stopped. */
  maxBatches: 20,
} as const;

export interface PrunedHistory {
  sessions: number;
  events: number;
}

/** Housekeeping: deletes ended sessions and device events older than HISTORY_RETENTION, in batches. */
export async function pruneContactHistory(
  db: Db,
  now: Date,
  retention: Partial<Record<keyof typeof HISTORY_RETENTION, number>> = {},
): Promise<PrunedHistory> {
  const { endedSessionsHours, eventsDays, batch, maxBatches } = { ...HISTORY_RETENTION, ...retention };
  const sessionsBefore = new Date(now.getTime() - endedSessionsHours * 3_600_000);
  const eventsBefore = new Date(now.getTime() - eventsDays * 86_400_000);
  const pruned: PrunedHistory = { sessions: 0, events: 0 };
  for (let i = 0; i < maxBatches; i++) {
    const deleted = await db.$executeRaw`
      DELETE FROM "CwmpSession" WHERE "id" IN (
        SELECT "id" FROM "CwmpSession"
        WHERE "ended" AND "live" IS NULL AND "lastSeenAt" < ${sessionsBefore}::timestamptz
        LIMIT ${batch}::int)`;
    pruned.sessions += deleted;
    if (deleted < batch) break;
  }
  // Event ids grow with time, so the oldest events are the lowest ids: walking the primary key from the start
  // reads only the rows to delete and stops at the first one young enough to keep, whatever the table's size.
  for (let i = 0; i < maxBatches; i++) {
    const deleted = await db.$executeRaw`
      DELETE FROM "DeviceEvent" WHERE "id" IN (
        SELECT "id" FROM "DeviceEvent"
        WHERE "id" < COALESCE(
          (SELECT "id" FROM "DeviceEvent" WHERE "at" >= ${eventsBefore}::timestamptz ORDER BY "id" LIMIT 1),
          (SELECT max("id") + 1 FROM "DeviceEvent"))
        AND "at" < ${eventsBefore}::timestamptz
        ORDER BY "id" LIMIT ${batch}::int)`;
    pruned.events += deleted;
    if (deleted < batch) break;
  }
  return pruned;
}
