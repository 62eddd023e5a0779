import type { Building, Db, Floor, Prisma, Room } from "@beacon/db";
import { Conflict, Invalid, NotFound } from "../errors.ts";

/**
 * A hotel site is a domain (a Tenant); its buildings, floors and rooms hang off it. Room numbers are unique
 * within the site, so that "room 101" is enough at the front desk.
 */

/** Natural order, so that 99 < 101 < 1001 and A-2 < A-10. */
export function compareRoomNumbers(a: string, b: string): number {
  return a.localeCompare(b, "en", { numeric: true, sensitivity: "base" });
}

export async function createBuilding(
  db: Db,
  input: { siteId: string; name: string; sortOrder?: number },
): Promise<Building> {
  const name = input.name.trim();
  if (!name) throw new Invalid("a building needs a name");
  await siteExists(db, input.siteId);
  const clash = await db.building.findUnique({ where: { tenantId_name: { tenantId: input.siteId, name } } });
  if (clash) throw new Conflict(`this site already has a building named ${name}`);
  return db.building.create({ data: { tenantId: input.siteId, name, sortOrder: input.sortOrder ?? 0 } });
}

export async function createFloor(db: Db, input: { buildingId: string; name: string; level?: number }): Promise<Floor> {
  const name = input.name.trim();
  if (!name) throw new Invalid("a floor needs a name");
  const building = await db.building.findUnique({ where: { id: input.buildingId } });
  if (!building) throw new NotFound("building");
  const clash = await db.floor.findUnique({ where: { buildingId_name: { buildingId: building.id, name } } });
  if (clash) throw new Conflict(`${building.name} already has a floor named ${name}`);
  return db.floor.create({
    data: { tenantId: building.tenantId, buildingId: building.id, name, level: input.level ?? 0 },
  });
}

export interface CreateRoomInput {
  siteId: string;
  number: string;
  floorId?: string;
  name?: string;
  vars?: Record<string, string>;
}

export async function createRoom(db: Db, input: CreateRoomInput): Promise<Room> {
  const number = input.number.trim();
  if (!number) throw new Invalid("a room needs a number");
  await siteExists(db, input.siteId);
  if (input.floorId) await floorOfSite(db, input.floorId, input.siteId);
  const clash = await db.room.findUnique({ where: { tenantId_number: { tenantId: input.siteId, number } } });
  if (clash) throw new Conflict(`this site already has a room ${number}`);
  return db.room.create({
    data: {
      tenantId: input.siteId,
      number,
      floorId: input.floorId,
      name: input.name ?? "",
      vars: (input.vars ?? {}) as Prisma.InputJsonValue,
    },
  });
}

/** Rooms from..to (numbers, e.g. 101 to 130) on a floor; rooms that exist already are left as they are. */
export async function createRoomRange(
  db: Db,
  input: { siteId: string; floorId?: string; from: number; to: number; prefix?: string },
): Promise<{ created: Room[]; existing: string[] }> {
  if (!Number.isInteger(input.from) || !Number.isInteger(input.to) || input.from < 0 || input.to < input.from) {
    throw new Invalid("a room range goes from a whole number up to a larger one");
  }
  if (input.to - input.from >= 2000) throw new Invalid("create at most 2000 rooms at a time");
  await siteExists(db, input.siteId);
  if (input.floorId) await floorOfSite(db, input.floorId, input.siteId);
  const numbers: string[] = [];
  for (let n = input.from; n <= input.to; n++) numbers.push(`${input.prefix ?? ""}${n}`);
  const existing = await db.room.findMany({
    where: { tenantId: input.siteId, number: { in: numbers } },
    select: { number: true },
  });
  const taken = new Set(existing.map((r) => r.number));
  const created = await db.room.createManyAndReturn({
    data: numbers
      .filter((n) => !taken.has(n))
      .map((number) => ({ tenantId: input.siteId, floorId: input.floorId, number })),
  });
  return { created: created.sort((a, b) => compareRoomNumbers(a.number, b.number)), existing: [...taken] };
}

export type RoomRef = { roomId: string } | { siteId: string; roomNumber: string };

export async function findRoom(db: Pick<Db, "room">, ref: RoomRef): Promise<Room> {
  const room =
    "roomId" in ref
      ? await db.room.findUnique({ where: { id: ref.roomId } })
      : await db.room.findUnique({
          where: { tenantId_number: { tenantId: ref.siteId, number: ref.roomNumber.trim() } },
        });
  if (!room) throw new NotFound("roomId" in ref ? "room" : `room ${ref.roomNumber}`);
  return room;
}

async function siteExists(db: Db, siteId: string): Promise<void> {
  const site = await db.tenant.findUnique({ where: { id: siteId }, select: { id: true } });
  if (!site) throw new NotFound("site");
}

async function floorOfSite(db: Db, floorId: string, siteId: string): Promise<Floor> {
  const floor = await db.floor.findUnique({ where: { id: floorId } });
  if (!floor || floor.tenantId !== siteId) throw new NotFound("floor of this site");
  return floor;
}
