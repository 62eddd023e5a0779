import type { Db } from "@beacon/db";
import { type AlarmChanges, evaluateAlarms } from "./evaluate-alarms.ts";

/**
 * The alarms no new reading triggers: devices that went silent (offline), and active alarms whose condition
 * may have passed without a reading (a device back online, reboots or faults out of their window). Called by
 * the monitoring scheduler; each device costs one evaluateAlarms.
 */
export async function sweepAlarms(
  db: Db,
  now: Date = new Date(),
  options: { limit?: number } = {},
): Promise<{ evaluated: number } & AlarmChanges> {
  const limit = options.limit ?? 500;
  // A superset of the offline devices: silent for longer than one interval (the rule asks for several).
  const rows = await db.$queryRaw<{ id: string }[]>`
    (SELECT d."id" FROM "Device" d
     WHERE d."lastInformAt" IS NOT NULL
       AND d."lastInformAt" < ${now}::timestamptz - make_interval(secs => COALESCE(d."periodicInformInterval", 3600) * 2)
       AND NOT EXISTS (SELECT 1 FROM "Alarm" a WHERE a."deviceId" = d."id" AND a."state" = 'active' AND a."type" = 'device.offline')
     ORDER BY d."lastInformAt" LIMIT ${limit}::int)
    UNION
    (SELECT a."deviceId" FROM "Alarm" a JOIN "Device" d ON d."id" = a."deviceId"
     WHERE a."state" = 'active' AND a."type" = 'device.offline' AND d."lastInformAt" > a."changedAt"
     LIMIT ${limit}::int)
    UNION
    (SELECT a."deviceId" FROM "Alarm" a
     WHERE a."state" = 'active' AND a."type" IN ('device.reboots', 'device.faults')
       AND a."changedAt" < ${now}::timestamptz - interval '15 minutes'
     ORDER BY a."changedAt" LIMIT ${limit}::int)`;
  const total: AlarmChanges & { evaluated: number } = { evaluated: 0, raised: [], changed: [], cleared: [] };
  for (const { id } of rows) {
    const changes = await evaluateAlarms(db, id, now).catch(() => null);
    if (!changes) continue;
    total.evaluated += 1;
    total.raised.push(...changes.raised);
    total.changed.push(...changes.changed);
    total.cleared.push(...changes.cleared);
  }
  return total;
}
