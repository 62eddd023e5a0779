import type { Db } from "@beacon/db";
import type { NetworkOutcome } from "../checkout/checkout-networks.ts";
import { settleCheckouts } from "../checkout/checkout-status.ts";
import { NotFound } from "../errors.ts";
import { compareRoomNumbers } from "./rooms.ts";

export type RoomState =
  | "online"
  | "offline"
  | "unprovisioned"
  | "pending-checkout"
  /** The room's last checkout left a network with the previous guest's passphrase (or failed). */
  | "checkout-incomplete"
  | "fault";

export interface RoomCell {
  id: string;
  number: string;
  name: string;
  /** The one word a front desk needs; the fields below give the detail. */
  state: RoomState;
  device: {
    id: string;
    serialNumber: string;
    modelName: string | null;
    lastInformAt: Date | null;
    /** Informed within twice its periodic inform interval. */
    online: boolean;
  } | null;
  /** Pre-registered and waiting for its device, or provisioned. */
  assignment: {
    id: string;
    state: "waiting" | "provisioned";
    serialNumber: string | null;
    macAddress: string | null;
    loid: string | null;
  } | null;
  pendingCheckout: { id: string; createdAt: Date } | null;
  /** The room's most recent finished checkout, with what it did per network. */
  lastCheckout: {
    id: string;
    state: "done" | "incomplete" | "failed";
    problem: string | null;
    networks: Pick<NetworkOutcome, "label" | "status" | "reason">[];
    completedAt: Date | null;
  } | null;
  /** False when Beacon read the device's networks and could place none on a band: "networks not recognised". */
  networksRecognised: boolean | null;
  /** The device's most recent finished task, when it ended in a fault. */
  fault: { taskId: string; kind: string; code: number | null; message: string | null; at: Date | null } | null;
}

export interface RoomGrid {
  siteId: string;
  buildings: { id: string; name: string; floors: { id: string; name: string; level: number; rooms: RoomCell[] }[] }[];
  /** Rooms on no floor. */
  otherRooms: RoomCell[];
  counts: Record<RoomState, number>;
}

/** When a device has not told its periodic inform interval: TR-069 leaves the default to the CPE; an hour is common. */
const DEFAULT_INFORM_INTERVAL_SECONDS = 3600;

/** Every room of a hotel site with its device's state, by building and floor. */
export async function roomGrid(db: Db, siteId: string, now: Date = new Date()): Promise<RoomGrid> {
  const site = await db.tenant.findUnique({ where: { id: siteId }, select: { id: true } });
  if (!site) throw new NotFound("site");
  const rooms = await db.room.findMany({
    where: { tenantId: siteId },
    include: {
      assignments: {
        where: { state: { in: ["waiting", "provisioned"] } },
        orderBy: { createdAt: "desc" },
        take: 1,
        include: {
          device: {
            select: { id: true, serialNumber: true, modelName: true, lastInformAt: true, periodicInformInterval: true },
          },
        },
      },
    },
  });
  await settleCheckouts(db, { roomIds: rooms.map((r) => r.id) }, now);
  const pending = await db.checkout.findMany({
    where: { roomId: { in: rooms.map((r) => r.id) }, state: "pending" },
    orderBy: { createdAt: "desc" },
    select: { id: true, roomId: true, createdAt: true },
  });
  const finished = await db.checkout.findMany({
    where: { roomId: { in: rooms.map((r) => r.id) }, state: { not: "pending" } },
    orderBy: [{ roomId: "asc" }, { createdAt: "desc" }],
    distinct: ["roomId"],
    select: { id: true, roomId: true, state: true, problem: true, networks: true, completedAt: true },
  });
  const deviceIds = rooms.flatMap((r) => (r.assignments[0]?.device ? [r.assignments[0].device.id] : []));
  const maps = deviceIds.length
    ? await db.deviceNetworkMap.findMany({
        where: { deviceId: { in: deviceIds } },
        select: { deviceId: true, recognised: true },
      })
    : [];
  const lastFinished = deviceIds.length
    ? await db.$queryRaw<
        {
          id: string;
          deviceId: string;
          kind: string;
          state: string;
          faultCode: number | null;
          faultString: string | null;
          finishedAt: Date | null;
        }[]
      >`
        SELECT DISTINCT ON ("deviceId") "id", "deviceId", "kind", "state"::text AS "state", "faultCode", "faultString", "finishedAt"
        FROM "Task"
        WHERE "deviceId" = ANY(${deviceIds}::uuid[]) AND "state" IN ('done', 'fault', 'expired')
        ORDER BY "deviceId", "finishedAt" DESC NULLS LAST, "createdAt" DESC`
    : [];

  const counts: Record<RoomState, number> = {
    online: 0,
    offline: 0,
    unprovisioned: 0,
    "pending-checkout": 0,
    "checkout-incomplete": 0,
    fault: 0,
  };
  const cells = new Map<string, RoomCell>();
  for (const room of rooms) {
    const assignment = room.assignments[0] ?? null;
    const d = assignment?.state === "provisioned" ? assignment.device : null;
    const interval = d?.periodicInformInterval ?? DEFAULT_INFORM_INTERVAL_SECONDS;
    const online = Boolean(d?.lastInformAt && now.getTime() - d.lastInformAt.getTime() <= 2 * interval * 1000);
    const checkout = pending.find((c) => c.roomId === room.id) ?? null;
    const last = d ? lastFinished.find((t) => t.deviceId === d.id) : undefined;
    const fault =
      last && last.state !== "done"
        ? {
            taskId: last.id,
            kind: last.kind,
            code: last.faultCode,
            message: last.faultString ?? last.state,
            at: last.finishedAt,
          }
        : null;
    const lastRow = finished.find((c) => c.roomId === room.id);
    const lastCheckout = lastRow
      ? {
          id: lastRow.id,
          state: lastRow.state as "done" | "incomplete" | "failed",
          problem: lastRow.problem,
          networks: (Array.isArray(lastRow.networks) ? (lastRow.networks as unknown as NetworkOutcome[]) : []).map(
            (n) => ({ label: n.label, status: n.status, reason: n.reason }),
          ),
          completedAt: lastRow.completedAt,
        }
      : null;
    const state: RoomState = !d
      ? "unprovisioned"
      : checkout
        ? "pending-checkout"
        : lastCheckout && lastCheckout.state !== "done"
          ? "checkout-incomplete"
          : fault
            ? "fault"
            : online
              ? "online"
              : "offline";
    counts[state]++;
    cells.set(room.id, {
      id: room.id,
      number: room.number,
      name: room.name,
      state,
      device: d
        ? { id: d.id, serialNumber: d.serialNumber, modelName: d.modelName, lastInformAt: d.lastInformAt, online }
        : null,
      assignment: assignment
        ? {
            id: assignment.id,
            state: assignment.state as "waiting" | "provisioned",
            serialNumber: assignment.serialNumber,
            macAddress: assignment.macAddress,
            loid: assignment.loid,
          }
        : null,
      pendingCheckout: checkout ? { id: checkout.id, createdAt: checkout.createdAt } : null,
      lastCheckout,
      networksRecognised: d ? (maps.find((m) => m.deviceId === d.id)?.recognised ?? null) : null,
      fault,
    });
  }

  const buildings = await db.building.findMany({
    where: { tenantId: siteId },
    include: { floors: { orderBy: [{ level: "asc" }, { name: "asc" }] } },
    orderBy: [{ sortOrder: "asc" }, { name: "asc" }],
  });
  const byNumber = (a: RoomCell, b: RoomCell) => compareRoomNumbers(a.number, b.number);
  const roomsOn = (floorId: string) =>
    rooms
      .filter((r) => r.floorId === floorId)
      .map((r) => cells.get(r.id)!)
      .sort(byNumber);
  return {
    siteId,
    buildings: buildings.map((b) => ({
      id: b.id,
      name: b.name,
      floors: b.floors.map((f) => ({ id: f.id, name: f.name, level: f.level, rooms: roomsOn(f.id) })),
    })),
    otherRooms: rooms
      .filter((r) => !r.floorId)
      .map((r) => cells.get(r.id)!)
      .sort(byNumber),
    counts,
  };
}
