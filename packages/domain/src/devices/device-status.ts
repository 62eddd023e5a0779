import type { Prisma } from "@beacon/db";
import { z } from "zod";
import type { ScopedDb } from "../tenancy/tenant-scope.ts";

export const DeviceStatus = z.enum(["online", "offline", "never"]);
export type DeviceStatus = z.infer<typeof DeviceStatus>;

/** Used when a device never reported its PeriodicInformInterval: a day, what CPEs commonly ship with. */
export const ASSUMED_INFORM_INTERVAL_SECONDS = 24 * 60 * 60;

/** Online means an Inform within twice the device's periodic interval: one missed check-in is tolerated. */
export function deviceStatus(
  device: { lastInformAt: Date | null; periodicInformInterval: number | null },
  now: Date,
): DeviceStatus {
  if (!device.lastInformAt) return "never";
  const interval = effectiveInterval(device.periodicInformInterval);
  return now.getTime() - device.lastInformAt.getTime() <= 2 * interval * 1000 ? "online" : "offline";
}

function effectiveInterval(seconds: number | null): number {
  return seconds && seconds > 0 ? seconds : ASSUMED_INFORM_INTERVAL_SECONDS;
}

/**
 * A Prisma filter for one status. The online cut-off depends on each device's interval, which a where clause cannot
 * compute, so it is spelled out for each interval present among the devices `within` selects (a handful in practice).
 */
export async function statusWhere(
  db: ScopedDb,
  within: Prisma.DeviceWhereInput,
  status: DeviceStatus,
  now: Date,
): Promise<Prisma.DeviceWhereInput> {
  if (status === "never") return { lastInformAt: null };
  const intervals = await db.device.findMany({
    where: { ...within, lastInformAt: { not: null } },
    distinct: ["periodicInformInterval"],
    select: { periodicInformInterval: true },
  });
  const since = (seconds: number | null) => new Date(now.getTime() - 2 * effectiveInterval(seconds) * 1000);
  const online: Prisma.DeviceWhereInput[] = intervals.map(({ periodicInformInterval }) =>
    periodicInformInterval && periodicInformInterval > 0
      ? { periodicInformInterval, lastInformAt: { gte: since(periodicInformInterval) } }
      : {
          OR: [{ periodicInformInterval: null }, { periodicInformInterval: { lte: 0 } }],
          lastInformAt: { gte: since(null) },
        },
  );
  const onlineWhere: Prisma.DeviceWhereInput = online.length ? { OR: online } : { id: { in: [] } };
  return status === "online" ? onlineWhere : { lastInformAt: { not: null }, NOT: onlineWhere };
}
