import type { Db, DeviceAssignment, Prisma } from "@beacon/db";
import { recordAudit } from "../audit/record-audit.ts";
import { Conflict, Invalid, NotAllowed, NotFound } from "../errors.ts";
import type { MappingSet } from "../templates/mappings.ts";
import type { Actor } from "../users/users.ts";
import { normalizeLoid, normalizeMac, normalizeSerial, serialVariants } from "./identifiers.ts";
import { type ProvisionOutcome, provisionWithAssignment } from "./provision.ts";

/** Pre-registration: "the device with this serial, MAC or LOID belongs in room 101 / on line 1 of subscriber S-7". */
export interface AssignmentRequest {
  roomId?: string;
  lineId?: string;
  serialNumber?: string;
  macAddress?: string;
  /** For a line, the line's own LOID is used when no identifier is given. */
  loid?: string;
  /** Templates to apply at provisioning; when left out, those of a replaced device, else the domain's auto-apply ones. */
  templateIds?: string[];
  /** Confirms replacing the device the room or line has now (a broken ONU): the new one gets the same configuration. */
  replace?: boolean;
  /**
   * The domains the person asking reaches (rootTenantIds). A device Beacon knows by these identifiers outside
   * them is refused, without saying where it is: no one takes a device from a domain they cannot see.
   */
  reach?: readonly string[];
}

export interface CheckedAssignment {
  tenantId: string;
  roomId: string | null;
  lineId: string | null;
  /** "room 101" or "line 1 of subscriber S-7", for messages. */
  target: string;
  serialNumber: string | null;
  macAddress: string | null;
  loid: string | null;
  templateIds: string[];
  /** The current assignment of the room or line, released when this one is made. */
  replaces: Pick<DeviceAssignment, "id" | "deviceId" | "templateIds"> | null;
  /** An identical assignment is waiting already: there is nothing to do. */
  sameAs: DeviceAssignment | null;
}

export type AssignmentCheck = { ok: true; assignment: CheckedAssignment } | { ok: false; problems: string[] };

const ACTIVE = { in: ["waiting", "provisioned"] as ("waiting" | "provisioned")[] };

/** Every reason a pre-registration cannot be made, so that a CSV dry run can list them all for a row. */
export async function checkAssignment(db: Db, request: AssignmentRequest): Promise<AssignmentCheck> {
  const problems: string[] = [];
  if (Boolean(request.roomId) === Boolean(request.lineId)) {
    return { ok: false, problems: ["an assignment is for one room or one subscriber line"] };
  }
  let tenantId: string;
  let target: string;
  let lineLoid: string | null = null;
  if (request.roomId) {
    const room = await db.room.findUnique({ where: { id: request.roomId } });
    if (!room) return { ok: false, problems: ["the room does not exist"] };
    tenantId = room.tenantId;
    target = `room ${room.number}`;
  } else {
    const line = await db.line.findUnique({ where: { id: request.lineId }, include: { subscriber: true } });
    if (!line) return { ok: false, problems: ["the line does not exist"] };
    if (line.terminatedAt) problems.push(`line ${line.number} of subscriber ${line.subscriber.externalId} has ended`);
    tenantId = line.tenantId;
    target = `line ${line.number} of subscriber ${line.subscriber.externalId}`;
    lineLoid = line.loid;
  }

  const serialNumber = request.serialNumber?.trim() ? normalizeSerial(request.serialNumber) : null;
  let macAddress: string | null = null;
  if (request.macAddress?.trim()) {
    macAddress = normalizeMac(request.macAddress);
    if (!macAddress) problems.push(`${request.macAddress} is not a MAC address`);
  }
  let loid = request.loid?.trim() ? normalizeLoid(request.loid) : null;
  if (!serialNumber && !request.macAddress?.trim() && !loid) {
    if (lineLoid) loid = lineLoid;
    else problems.push("give a serial number, a MAC address or a LOID");
  }

  const tenant = await db.tenant.findUnique({ where: { id: tenantId }, select: { ancestorIds: true } });
  const templateIds = [...new Set(request.templateIds ?? [])];
  if (templateIds.length) {
    const templates = await db.template.findMany({
      where: { id: { in: templateIds } },
      select: { id: true, tenantId: true },
    });
    for (const id of templateIds) {
      const template = templates.find((t) => t.id === id);
      if (!template) problems.push(`template ${id} does not exist`);
      else if (!tenant?.ancestorIds.includes(template.tenantId))
        problems.push(`template ${id} cannot be used in this domain`);
    }
  }

  const current = await db.deviceAssignment.findFirst({
    where: request.roomId ? { roomId: request.roomId, state: ACTIVE } : { lineId: request.lineId, state: ACTIVE },
    orderBy: { createdAt: "desc" },
  });
  const sameAs =
    current &&
    current.state === "waiting" &&
    current.serialNumber === serialNumber &&
    current.macAddress === macAddress &&
    current.loid === loid &&
    (templateIds.length === 0 || sameSet(current.templateIds, templateIds))
      ? current
      : null;
  if (current && !sameAs && !request.replace) {
    const what = current.state === "provisioned" ? "a device" : "a pre-registered device";
    const id = current.serialNumber ?? current.macAddress ?? current.loid;
    problems.push(`${target} already has ${what} (${id}); confirm the replacement to swap it`);
  }

  const identifiers: Prisma.DeviceAssignmentWhereInput[] = [];
  if (serialNumber) identifiers.push({ serialNumber });
  if (macAddress) identifiers.push({ macAddress });
  if (loid) identifiers.push({ loid });
  if (identifiers.length) {
    const others = await db.deviceAssignment.findMany({
      where: { state: ACTIVE, OR: identifiers, NOT: current ? { id: current.id } : undefined },
      include: {
        room: { select: { number: true } },
        line: { select: { number: true, subscriber: { select: { externalId: true } } } },
      },
    });
    for (const other of others) {
      const which =
        other.serialNumber === serialNumber && serialNumber
          ? `serial ${serialNumber}`
          : other.macAddress === macAddress && macAddress
            ? `MAC ${macAddress}`
            : `LOID ${loid}`;
      const where =
        other.tenantId !== tenantId
          ? "in another domain"
          : other.room
            ? `to room ${other.room.number}`
            : `to line ${other.line?.number} of subscriber ${other.line?.subscriber.externalId}`;
      problems.push(`${which} is already assigned ${where}`);
    }
  }
  if (request.reach && (serialNumber || macAddress)) {
    const elsewhere = await db.device.findFirst({
      where: {
        OR: deviceIdentifiers(serialNumber, macAddress),
        NOT: { tenant: { ancestorIds: { hasSome: [...request.reach] } } },
      },
      select: { id: true },
    });
    if (elsewhere) {
      const which = serialNumber ? `serial ${serialNumber}` : `MAC ${macAddress}`;
      problems.push(`a device with ${which} is managed outside your domains; ask its administrator to move it to you`);
    }
  }
  if (current?.state === "provisioned" && current.deviceId && serialNumber) {
    const device = await db.device.findUnique({ where: { id: current.deviceId }, select: { serialNumber: true } });
    if (device && normalizeSerial(device.serialNumber) === serialNumber)
      problems.push(`${target} already has this very device`);
  }

  if (problems.length) return { ok: false, problems };
  return {
    ok: true,
    assignment: {
      tenantId,
      roomId: request.roomId ?? null,
      lineId: request.lineId ?? null,
      target,
      serialNumber,
      macAddress,
      loid,
      templateIds,
      replaces: current && !sameAs ? current : null,
      sameAs,
    },
  };
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

export interface PreRegistration {
  assignment: DeviceAssignment;
  /** Set when a device matching the identifiers has informed already and was provisioned at once. */
  provisioned: ProvisionOutcome | null;
  /** The assignment this one replaced, now released. */
  released: DeviceAssignment | null;
}

/**
 * Records that a device belongs to a room or line. When it replaces a device (a broken ONU), the old assignment is
 * released and the values the old device carried travel with the new one. A matching device that has informed
 * already (it waits in the unassigned inbox) is provisioned at once.
 */
export async function preRegisterDevice(
  db: Db,
  request: AssignmentRequest,
  actor: Actor,
  options: { mappings?: MappingSet } = {},
): Promise<PreRegistration> {
  const check = await checkAssignment(db, request);
  if (!check.ok) throw new Invalid(check.problems.join("; "));
  const checked = check.assignment;
  if (checked.sameAs) return { assignment: checked.sameAs, provisioned: null, released: null };

  const { assignment, released } = await createAssignment(db, checked, actor);

  const device = await waitingDeviceFor(db, assignment);
  const provisioned = device ? await provisionWithAssignment(db, device.id, assignment.id, actor, options) : null;
  const latest = provisioned ? await db.deviceAssignment.findUnique({ where: { id: assignment.id } }) : null;
  return { assignment: latest ?? assignment, provisioned, released };
}

/** Writes a checked assignment, releasing the one it replaces and carrying over what the old device had. */
async function createAssignment(
  db: Db,
  checked: CheckedAssignment,
  actor: Actor,
): Promise<{ assignment: DeviceAssignment; released: DeviceAssignment | null }> {
  return db.$transaction(async (tx) => {
    let released: DeviceAssignment | null = null;
    let carriedValues: Prisma.InputJsonValue | undefined;
    let templateIds = checked.templateIds;
    if (checked.replaces) {
      if (checked.replaces.deviceId) carriedValues = await carriedValuesOf(tx, checked.replaces.deviceId);
      if (templateIds.length === 0) templateIds = checked.replaces.templateIds;
      released = await releaseInTransaction(tx, checked.replaces.id, actor, "replaced");
    }
    const assignment = await tx.deviceAssignment.create({
      data: {
        tenantId: checked.tenantId,
        roomId: checked.roomId,
        lineId: checked.lineId,
        serialNumber: checked.serialNumber,
        macAddress: checked.macAddress,
        loid: checked.loid,
        templateIds,
        carriedValues,
        createdBy: actor.label,
      },
    });
    await recordAudit(tx, {
      tenantId: checked.tenantId,
      actorId: actor.id,
      actorLabel: actor.label,
      action: "assignment.create",
      targetType: "assignment",
      targetId: assignment.id,
      after: {
        target: checked.target,
        serialNumber: checked.serialNumber,
        macAddress: checked.macAddress,
        loid: checked.loid,
        replaces: released?.id ?? null,
      },
    });
    return { assignment, released };
  });
}

/** Devices whose serial number or MAC address is one of these, in any of their spellings. */
function deviceIdentifiers(serialNumber: string | null, macAddress: string | null): Prisma.DeviceWhereInput[] {
  const or: Prisma.DeviceWhereInput[] = [];
  if (serialNumber) {
    for (const s of serialVariants(serialNumber)) or.push({ serialNumber: { equals: s, mode: "insensitive" } });
  }
  if (macAddress) {
    for (const spelling of [macAddress, macAddress.replace(/:/g, ""), macAddress.replace(/:/g, "-")]) {
      or.push({ macAddress: { equals: spelling, mode: "insensitive" } });
    }
  }
  return or;
}

/** A device that has informed, matches the assignment, has no room or line yet, and sits at or above its domain. */
async function waitingDeviceFor(db: Db, assignment: DeviceAssignment): Promise<{ id: string } | null> {
  const or = deviceIdentifiers(assignment.serialNumber, assignment.macAddress);
  if (or.length === 0) return null;
  const tenant = await db.tenant.findUnique({ where: { id: assignment.tenantId }, select: { ancestorIds: true } });
  return db.device.findFirst({
    where: { OR: or, tenantId: { in: tenant?.ancestorIds ?? [] }, assignments: { none: { state: "provisioned" } } },
    select: { id: true },
    orderBy: { lastInformAt: { sort: "desc", nulls: "last" } },
  });
}

/** What a device carries, by template then setting: a replacement device is given the same values. */
async function carriedValuesOf(tx: Prisma.TransactionClient, deviceId: string): Promise<Prisma.InputJsonValue> {
  const rows = await tx.deviceTemplate.findMany({ where: { deviceId }, select: { templateId: true, values: true } });
  const carried: Record<string, Record<string, string>> = {};
  for (const row of rows) {
    const bySetting: Record<string, string> = {};
    for (const v of Array.isArray(row.values) ? row.values : []) {
      const value = v as { setting?: unknown; value?: unknown };
      if (typeof value.setting === "string" && typeof value.value === "string") bySetting[value.setting] = value.value;
    }
    carried[row.templateId] = bySetting;
  }
  return carried;
}

async function releaseInTransaction(
  tx: Prisma.TransactionClient,
  assignmentId: string,
  actor: Actor,
  why: string,
): Promise<DeviceAssignment> {
  const released = await tx.deviceAssignment.update({
    where: { id: assignmentId },
    data: { state: "released", releasedAt: new Date() },
  });
  if (released.deviceId) {
    // The device no longer carries the room's or line's configuration and is unprovisioned again: the session
    // layer tries provisioning at its next Inform.
    await tx.deviceTemplate.deleteMany({ where: { deviceId: released.deviceId } });
    await tx.device.update({ where: { id: released.deviceId }, data: { provisionedAt: null } });
  }
  await recordAudit(tx, {
    tenantId: released.tenantId,
    actorId: actor.id,
    actorLabel: actor.label,
    action: "assignment.release",
    targetType: "assignment",
    targetId: released.id,
    deviceId: released.deviceId ?? undefined,
    after: { reason: why },
  });
  return released;
}

/** Ends an assignment: the room or line is free for another device; the device stays where it is, unassigned. */
export async function releaseAssignment(
  db: Db,
  input: { assignmentId: string; reason?: string },
  actor: Actor,
): Promise<DeviceAssignment> {
  const assignment = await db.deviceAssignment.findUnique({ where: { id: input.assignmentId } });
  if (!assignment) throw new NotFound("assignment");
  if (assignment.state === "released") return assignment;
  return db.$transaction((tx) => releaseInTransaction(tx, assignment.id, actor, input.reason ?? "released"));
}

/**
 * Takes a device from the unassigned inbox into a room or onto a line and provisions it now: its tasks are
 * queued at once; a connection request (the caller's, through the ingress) makes the device fetch them.
 */
export async function claimDevice(
  db: Db,
  input: { deviceId: string; roomId?: string; lineId?: string; templateIds?: string[]; replace?: boolean },
  actor: Actor,
  options: { mappings?: MappingSet } = {},
): Promise<ProvisionOutcome & { assignmentId: string }> {
  const device = await db.device.findUnique({
    where: { id: input.deviceId },
    select: {
      id: true,
      serialNumber: true,
      tenantId: true,
      assignments: { where: { state: "provisioned" }, select: { id: true } },
    },
  });
  if (!device) throw new NotFound("device");
  if (device.assignments.length) throw new Conflict("the device is provisioned already; release its assignment first");
  const check = await checkAssignment(db, { ...input, serialNumber: device.serialNumber });
  if (!check.ok) throw new Invalid(check.problems.join("; "));
  const targetTenant = await db.tenant.findUnique({
    where: { id: check.assignment.tenantId },
    select: { ancestorIds: true },
  });
  if (!targetTenant?.ancestorIds.includes(device.tenantId)) {
    throw new NotAllowed("a device can be claimed only into its own domain or one below it");
  }
  const assignment = check.assignment.sameAs ?? (await createAssignment(db, check.assignment, actor)).assignment;
  const outcome = await provisionWithAssignment(db, device.id, assignment.id, actor, options);
  return { ...outcome, assignmentId: assignment.id };
}
