import type { ScopedDb } from "../tenancy/tenant-scope.ts";

/** Where a device serves: the hotel room or the subscriber line it is provisioned for. */
export type DeviceHome =
  | { kind: "room"; roomId: string; number: string; name: string; siteId: string }
  | { kind: "line"; lineId: string; number: string; subscriberId: string; externalId: string; subscriberName: string };

/**
 * The room or subscriber line each device is provisioned for (its assignment in state `provisioned`), read through
 * the tenant scope a model at a time: a room or line outside the reader's reach is left out.
 */
export async function deviceHomes(db: ScopedDb, deviceIds: readonly string[]): Promise<Map<string, DeviceHome>> {
  const homes = new Map<string, DeviceHome>();
  if (deviceIds.length === 0) return homes;
  const assignments = await db.deviceAssignment.findMany({
    where: { deviceId: { in: [...deviceIds] }, state: "provisioned" },
    orderBy: { provisionedAt: "desc" },
    select: { deviceId: true, roomId: true, lineId: true },
  });
  const roomIds = assignments.flatMap((a) => (a.roomId ? [a.roomId] : []));
  const lineIds = assignments.flatMap((a) => (a.lineId ? [a.lineId] : []));
  const [rooms, lines] = await Promise.all([
    roomIds.length
      ? db.room.findMany({
          where: { id: { in: roomIds } },
          select: { id: true, number: true, name: true, tenantId: true },
        })
      : [],
    lineIds.length
      ? db.line.findMany({ where: { id: { in: lineIds } }, select: { id: true, number: true, subscriberId: true } })
      : [],
  ]);
  const subscribers = lines.length
    ? await db.subscriber.findMany({
        where: { id: { in: lines.map((l) => l.subscriberId) } },
        select: { id: true, externalId: true, name: true },
      })
    : [];
  const roomById = new Map(rooms.map((r) => [r.id, r]));
  const lineById = new Map(lines.map((l) => [l.id, l]));
  const subscriberById = new Map(subscribers.map((s) => [s.id, s]));
  for (const a of assignments) {
    if (!a.deviceId || homes.has(a.deviceId)) continue;
    const room = a.roomId ? roomById.get(a.roomId) : undefined;
    if (room) {
      homes.set(a.deviceId, {
        kind: "room",
        roomId: room.id,
        number: room.number,
        name: room.name,
        siteId: room.tenantId,
      });
      continue;
    }
    const line = a.lineId ? lineById.get(a.lineId) : undefined;
    const subscriber = line ? subscriberById.get(line.subscriberId) : undefined;
    if (line && subscriber) {
      homes.set(a.deviceId, {
        kind: "line",
        lineId: line.id,
        number: line.number,
        subscriberId: subscriber.id,
        externalId: subscriber.externalId,
        subscriberName: subscriber.name,
      });
    }
  }
  return homes;
}
