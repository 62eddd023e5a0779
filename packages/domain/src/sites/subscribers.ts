import type { Db, Line, Prisma, Subscriber } from "@beacon/db";
import { Conflict, Invalid, NotFound } from "../errors.ts";

/** An operator's subscribers and their lines; a line's device is found by serial, MAC or the line's LOID. */

export interface CreateSubscriberInput {
  tenantId: string;
  /** The operator's own subscriber id. */
  externalId: string;
  name?: string;
  address?: string;
  vars?: Record<string, string>;
}

export async function createSubscriber(db: Db, input: CreateSubscriberInput): Promise<Subscriber> {
  const externalId = input.externalId.trim();
  if (!externalId) throw new Invalid("a subscriber needs an id");
  const tenant = await db.tenant.findUnique({ where: { id: input.tenantId }, select: { id: true } });
  if (!tenant) throw new NotFound("domain");
  const clash = await db.subscriber.findUnique({ where: { tenantId_externalId: { tenantId: tenant.id, externalId } } });
  if (clash) throw new Conflict(`subscriber ${externalId} exists already`);
  return db.subscriber.create({
    data: {
      tenantId: tenant.id,
      externalId,
      name: input.name?.trim() ?? "",
      address: input.address?.trim() ?? "",
      vars: (input.vars ?? {}) as Prisma.InputJsonValue,
    },
  });
}

export interface CreateLineInput {
  subscriberId: string;
  number?: string;
  loid?: string;
  slid?: string;
  servicePlan?: string;
  phoneNumber?: string;
  /** Values templates read as {{line.vars.<key>}}, e.g. { pppoeUser: "...", pppoePassword: "..." }. */
  vars?: Record<string, string>;
}

export async function createLine(db: Db, input: CreateLineInput): Promise<Line> {
  const subscriber = await db.subscriber.findUnique({ where: { id: input.subscriberId } });
  if (!subscriber) throw new NotFound("subscriber");
  const number = input.number?.trim() || "1";
  const loid = input.loid?.trim() || null;
  const slid = input.slid?.trim() || null;
  const clash = await db.line.findUnique({ where: { subscriberId_number: { subscriberId: subscriber.id, number } } });
  if (clash) throw new Conflict(`subscriber ${subscriber.externalId} already has a line ${number}`);
  for (const [field, value] of [
    ["loid", loid],
    ["slid", slid],
  ] as const) {
    if (!value) continue;
    const taken = await db.line.findFirst({
      where: { tenantId: subscriber.tenantId, [field]: value, terminatedAt: null },
      include: { subscriber: { select: { externalId: true } } },
    });
    if (taken)
      throw new Conflict(
        `${field.toUpperCase()} ${value} is already on a line of subscriber ${taken.subscriber.externalId}`,
      );
  }
  return db.line.create({
    data: {
      tenantId: subscriber.tenantId,
      subscriberId: subscriber.id,
      number,
      loid,
      slid,
      servicePlan: input.servicePlan?.trim() ?? "",
      phoneNumber: input.phoneNumber?.trim() || null,
      vars: (input.vars ?? {}) as Prisma.InputJsonValue,
    },
  });
}

export interface SubscriberMatch {
  id: string;
  externalId: string;
  name: string;
  address: string;
  tenant: { id: string; name: string };
  lines: {
    id: string;
    number: string;
    loid: string | null;
    slid: string | null;
    servicePlan: string;
    phoneNumber: string | null;
    terminatedAt: Date | null;
    device: { id: string; serialNumber: string; lastInformAt: Date | null } | null;
    /** The line's current assignment: waiting for its device, or provisioned. */
    assignment: {
      id: string;
      state: string;
      serialNumber: string | null;
      macAddress: string | null;
      loid: string | null;
    } | null;
  }[];
}

/**
 * Subscribers of a domain and the domains below it whose id, name or address, or whose line's LOID, SLID,
 * service plan or phone number contains the query (ignoring case).
 */
export async function searchSubscribers(
  db: Db,
  input: { tenantId: string; query: string; limit?: number },
): Promise<SubscriberMatch[]> {
  const q = input.query.trim();
  const contains = { contains: q, mode: "insensitive" as const };
  const subscribers = await db.subscriber.findMany({
    where: {
      tenant: { ancestorIds: { has: input.tenantId } },
      ...(q
        ? {
            OR: [
              { externalId: contains },
              { name: contains },
              { address: contains },
              {
                lines: {
                  some: {
                    OR: [{ loid: contains }, { slid: contains }, { servicePlan: contains }, { phoneNumber: contains }],
                  },
                },
              },
            ],
          }
        : {}),
    },
    include: {
      tenant: { select: { id: true, name: true } },
      lines: {
        orderBy: { number: "asc" },
        include: {
          assignments: {
            where: { state: { in: ["waiting", "provisioned"] } },
            orderBy: { createdAt: "desc" },
            take: 1,
            include: { device: { select: { id: true, serialNumber: true, lastInformAt: true } } },
          },
        },
      },
    },
    orderBy: { externalId: "asc" },
    take: Math.min(input.limit ?? 50, 500),
  });
  return subscribers.map((s) => ({
    id: s.id,
    externalId: s.externalId,
    name: s.name,
    address: s.address,
    tenant: s.tenant,
    lines: s.lines.map((l) => {
      const a = l.assignments[0];
      return {
        id: l.id,
        number: l.number,
        loid: l.loid,
        slid: l.slid,
        servicePlan: l.servicePlan,
        phoneNumber: l.phoneNumber,
        terminatedAt: l.terminatedAt,
        device: a?.device ?? null,
        assignment: a
          ? { id: a.id, state: a.state, serialNumber: a.serialNumber, macAddress: a.macAddress, loid: a.loid }
          : null,
      };
    }),
  }));
}

export type LineRef = { lineId: string } | { tenantId: string; subscriberId: string; lineNumber?: string };

/** A line by id, or by the operator's subscriber id and the line's number (default "1") within a domain. */
export async function findLine(db: Pick<Db, "line">, ref: LineRef): Promise<Line> {
  const line =
    "lineId" in ref
      ? await db.line.findUnique({ where: { id: ref.lineId } })
      : await db.line.findFirst({
          where: {
            tenantId: ref.tenantId,
            number: ref.lineNumber?.trim() || "1",
            subscriber: { externalId: ref.subscriberId.trim() },
          },
        });
  if (!line)
    throw new NotFound("lineId" in ref ? "line" : `line ${ref.lineNumber ?? "1"} of subscriber ${ref.subscriberId}`);
  return line;
}
