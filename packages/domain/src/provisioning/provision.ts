import type { Db, DeviceAssignment, Prisma, Template } from "@beacon/db";
import { recordAudit } from "../audit/record-audit.ts";
import { EVENT, type InformFacts } from "../cwmp/inform-facts.ts";
import { Conflict, NotFound } from "../errors.ts";
import { createTask } from "../tasks/create-task.ts";
import { applyVersionsToDevice, type TemplateSkip, type VersionToApply } from "../templates/apply.ts";
import { ASSIGNMENT_TARGET_INCLUDE, loadDeviceForTemplates, mappingForDevice } from "../templates/device-context.ts";
import { loadMappings, type MappingSet } from "../templates/mappings.ts";
import type { Actor } from "../users/users.ts";
import {
  LOID_PARAMETER,
  normalizeLoid,
  normalizeMac,
  normalizeSerial,
  OWN_MAC_PARAMETER,
  serialVariants,
} from "./identifiers.ts";

export type ProvisionOutcome =
  /** Matched an assignment: moved into its domain, templates queued (taskId null when they set nothing). */
  | {
      kind: "provisioned";
      assignmentId: string;
      tenantId: string;
      taskId: string | null;
      /** Settings by meaning waiting for the device's networks to be read (applySettings), or null. */
      deferredTaskId?: string | null;
      skipped: TemplateSkip[];
    }
  /** 0 BOOTSTRAP of a provisioned device (a factory reset): what it carried is queued again. */
  | {
      kind: "reprovisioned";
      assignmentId: string;
      taskId: string | null;
      deferredTaskId?: string | null;
      skipped: TemplateSkip[];
    }
  | { kind: "already-provisioned"; assignmentId: string }
  /** No assignment matches: the device waits in its domain's unassigned inbox. */
  | {
      kind: "unassigned";
      reason: string /** A getParameterValues task reading the LOID, when one may match. */;
      loidRequestTaskId?: string;
    };

export interface ProvisionOptions {
  actor?: Actor;
  mappings?: MappingSet;
}

const SYSTEM: Actor = { label: "provisioning" };

/**
 * Zero-touch provisioning, for the session layer. Call it after the transaction that recorded the Inform has
 * committed (it moves the device and queues tasks in transactions of its own): on 0 BOOTSTRAP, and on any Inform
 * of a device whose provisionedAt is still null (cheap when nothing matches). The tasks it queues are the
 * session's to run next.
 */
export async function provisionOnInform(
  db: Db,
  device: { id: string },
  facts: Pick<InformFacts, "events" | "parameters" | "serialNumber">,
  options: ProvisionOptions = {},
): Promise<ProvisionOutcome> {
  const bootstrap = facts.events.some((e) => e.code === EVENT.bootstrap);
  return provisionDevice(db, device.id, { ...options, bootstrap, informParameters: facts.parameters });
}

/**
 * Matches a device against waiting assignments by serial, MAC or LOID, using what Beacon has stored of it, and
 * provisions it. provisionOnInform is this plus the Inform's own values; call it directly after a session has
 * read the device's LOID.
 */
export async function provisionDevice(
  db: Db,
  deviceId: string,
  options: ProvisionOptions & {
    bootstrap?: boolean;
    informParameters?: readonly { name: string; value: string }[];
  } = {},
): Promise<ProvisionOutcome> {
  const actor = options.actor ?? SYSTEM;
  const mappings = options.mappings ?? loadMappings();
  const device = await db.device.findUnique({
    where: { id: deviceId },
    select: { id: true, tenantId: true, serialNumber: true, macAddress: true },
  });
  if (!device) throw new NotFound("device");

  const active = await db.deviceAssignment.findFirst({
    where: { deviceId, state: "provisioned" },
    orderBy: { provisionedAt: "desc" },
  });
  if (active) {
    if (!options.bootstrap) return { kind: "already-provisioned", assignmentId: active.id };
    return reprovision(db, deviceId, active, actor, mappings);
  }

  const { loidPaths, known } = await identifiersOf(db, deviceId, options.informParameters ?? [], mappings);
  const serials = serialVariants(normalizeSerial(device.serialNumber));
  const macs = [device.macAddress, ...known.macs]
    .map((m) => (m ? normalizeMac(m) : null))
    .filter((m): m is string => Boolean(m));
  const or: Prisma.DeviceAssignmentWhereInput[] = [{ serialNumber: { in: serials } }];
  if (macs.length) or.push({ macAddress: { in: [...new Set(macs)] } });
  if (known.loids.length) or.push({ loid: { in: known.loids } });
  const candidates = await db.deviceAssignment.findMany({
    // An assignment can only pull a device down the tree: it lies at or below the device's current domain.
    where: { state: "waiting", tenant: { ancestorIds: { has: device.tenantId } }, OR: or },
    orderBy: { createdAt: "asc" },
  });
  const rank = (a: DeviceAssignment) =>
    a.serialNumber && serials.includes(a.serialNumber) ? 0 : a.macAddress && macs.includes(a.macAddress) ? 1 : 2;
  const match = candidates.sort((a, b) => rank(a) - rank(b))[0];
  if (match) return provisionWithAssignment(db, deviceId, match.id, actor, { mappings });

  // The LOID is rarely in an Inform: read it when a waiting assignment could be waiting for it.
  if (known.loids.length === 0 && loidPaths.length > 0) {
    const byLoid = await db.deviceAssignment.count({
      where: { state: "waiting", loid: { not: null }, tenant: { ancestorIds: { has: device.tenantId } } },
    });
    if (byLoid > 0) {
      const queued = await db.task.findFirst({
        where: { deviceId, kind: "getParameterValues", state: { in: ["pending", "running"] } },
        select: { id: true, args: true },
      });
      const asked = queued && JSON.stringify(queued.args).includes(loidPaths[0]!);
      const taskId = asked
        ? queued.id
        : (await createTask(db, { deviceId, kind: "getParameterValues", args: { names: loidPaths } }, actor)).id;
      return {
        kind: "unassigned",
        reason: "no assignment matches the serial or MAC; reading the LOID to try again",
        loidRequestTaskId: taskId,
      };
    }
  }
  return { kind: "unassigned", reason: "no assignment matches the device's serial, MAC or LOID" };
}

async function identifiersOf(
  db: Db,
  deviceId: string,
  informParameters: readonly { name: string; value: string }[],
  mappings: MappingSet,
): Promise<{ loidPaths: string[]; known: { macs: string[]; loids: string[] } }> {
  const device = await loadDeviceForTemplates(db, deviceId);
  const { mapping } = await mappingForDevice(db, device, mappings);
  const loidMapping = mapping?.settings.get("service.loid");
  const loidPaths = loidMapping?.kind === "parameters" ? loidMapping.parameters.map((p) => p.path) : [];
  const stored = await db.deviceParameter.findMany({
    where: {
      deviceId,
      OR: [
        { name: { in: loidPaths } },
        { name: { endsWith: "loid", mode: "insensitive" } },
        { name: { endsWith: ".MACAddress" }, NOT: { name: { contains: ".Host" } } },
      ],
    },
    select: { name: true, value: true },
  });
  const all = [...stored.map((p) => ({ name: p.name, value: p.value ?? "" })), ...informParameters];
  const loids = all
    .filter((p) => p.value.trim() && (loidPaths.includes(p.name) || LOID_PARAMETER.test(p.name)))
    .map((p) => normalizeLoid(p.value));
  const macs = all.filter((p) => OWN_MAC_PARAMETER.test(p.name) && p.value).map((p) => p.value);
  return { loidPaths, known: { macs, loids: [...new Set(loids)] } };
}

/**
 * Provisions a device through one assignment: takes the assignment (once, even when two sessions race), moves
 * the device into the assignment's domain, and queues the templates in one task.
 */
export async function provisionWithAssignment(
  db: Db,
  deviceId: string,
  assignmentId: string,
  actor: Actor,
  options: { mappings?: MappingSet } = {},
): Promise<ProvisionOutcome> {
  const now = new Date();
  const taken = await db.deviceAssignment.updateMany({
    where: { id: assignmentId, state: "waiting" },
    data: { state: "provisioned", deviceId, provisionedAt: now },
  });
  const assignment = await db.deviceAssignment.findUnique({
    where: { id: assignmentId },
    include: ASSIGNMENT_TARGET_INCLUDE,
  });
  if (!assignment) throw new NotFound("assignment");
  if (taken.count === 0) {
    if (assignment.state === "provisioned" && assignment.deviceId === deviceId) {
      return { kind: "already-provisioned", assignmentId };
    }
    throw new Conflict("the assignment was taken by another device");
  }

  const before = await db.device.findUnique({ where: { id: deviceId }, select: { tenantId: true } });
  if (!before) throw new NotFound("device");
  await db.$transaction(async (tx) => {
    await tx.device.update({ where: { id: deviceId }, data: { tenantId: assignment.tenantId, provisionedAt: now } });
    await tx.deviceTemplate.updateMany({ where: { deviceId }, data: { tenantId: assignment.tenantId } });
    await recordAudit(tx, {
      tenantId: assignment.tenantId,
      actorId: actor.id,
      actorLabel: actor.label,
      action: "device.provision",
      targetType: "assignment",
      targetId: assignment.id,
      deviceId,
      before: { tenantId: before.tenantId },
      after: { tenantId: assignment.tenantId, roomId: assignment.roomId, lineId: assignment.lineId },
    });
  });

  const versions = await versionsForAssignment(db, assignment);
  if (versions.length === 0) {
    return { kind: "provisioned", assignmentId, tenantId: assignment.tenantId, taskId: null, skipped: [] };
  }
  const applied = await applyVersionsToDevice(db, {
    deviceId,
    versions,
    actor,
    mappings: options.mappings,
    assignment,
  });
  return {
    kind: "provisioned",
    assignmentId,
    tenantId: assignment.tenantId,
    taskId: applied.taskId,
    deferredTaskId: applied.deferredTaskId,
    skipped: applied.skipped,
  };
}

/** The assignment's templates, else the auto-apply templates of its domain and those above (the nearest last, so it wins). */
async function versionsForAssignment(db: Db, assignment: DeviceAssignment): Promise<VersionToApply[]> {
  const carried = carriedOf(assignment.carriedValues);
  let templates: Template[];
  if (assignment.templateIds.length) {
    const found = await db.template.findMany({ where: { id: { in: assignment.templateIds } } });
    templates = assignment.templateIds.flatMap((id) => found.filter((t) => t.id === id));
  } else {
    const tenant = await db.tenant.findUnique({ where: { id: assignment.tenantId }, select: { ancestorIds: true } });
    const ancestors = tenant?.ancestorIds ?? [];
    const found = await db.template.findMany({
      where: { tenantId: { in: ancestors }, autoApply: true },
      orderBy: { name: "asc" },
    });
    templates = found.sort((a, b) => ancestors.indexOf(a.tenantId) - ancestors.indexOf(b.tenantId));
  }
  const versions = await db.templateVersion.findMany({
    where: { OR: templates.map((t) => ({ templateId: t.id, version: t.latestVersion })) },
  });
  return templates.flatMap((template) => {
    const version = versions.find((v) => v.templateId === template.id);
    return version ? [{ template, version, fixed: carried[template.id] }] : [];
  });
}

function carriedOf(value: Prisma.JsonValue | null): Record<string, Record<string, string>> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return {};
  return value as Record<string, Record<string, string>>;
}

/** After a factory reset (0 BOOTSTRAP) the device lost its configuration: queue again what it carried, same values. */
async function reprovision(
  db: Db,
  deviceId: string,
  assignment: DeviceAssignment,
  actor: Actor,
  mappings: MappingSet,
): Promise<ProvisionOutcome> {
  const carried = await db.deviceTemplate.findMany({
    where: { deviceId },
    include: { template: true, templateVersion: true },
    orderBy: { createdAt: "asc" },
  });
  if (carried.length === 0) return { kind: "reprovisioned", assignmentId: assignment.id, taskId: null, skipped: [] };
  const versions: VersionToApply[] = carried.map((row) => {
    const fixed: Record<string, string> = {};
    for (const v of Array.isArray(row.values) ? row.values : []) {
      const value = v as { setting?: unknown; value?: unknown };
      if (typeof value.setting === "string" && typeof value.value === "string") fixed[value.setting] = value.value;
    }
    return { template: row.template, version: row.templateVersion, fixed };
  });
  const applied = await applyVersionsToDevice(db, { deviceId, versions, actor, mappings });
  return {
    kind: "reprovisioned",
    assignmentId: assignment.id,
    taskId: applied.taskId,
    deferredTaskId: applied.deferredTaskId,
    skipped: applied.skipped,
  };
}

export interface UnassignedDevice {
  id: string;
  serialNumber: string;
  oui: string;
  productClass: string;
  manufacturer: string;
  modelName: string | null;
  macAddress: string | null;
  firstInformAt: Date | null;
  lastInformAt: Date | null;
  tenant: { id: string; name: string };
}

/** The inbox: devices of a domain (and below) that no room or line has claimed yet, newest contact first. */
export async function listUnassignedDevices(
  db: Db,
  input: { tenantId: string; limit?: number },
): Promise<UnassignedDevice[]> {
  return db.device.findMany({
    where: { tenant: { ancestorIds: { has: input.tenantId } }, assignments: { none: { state: "provisioned" } } },
    select: {
      id: true,
      serialNumber: true,
      oui: true,
      productClass: true,
      manufacturer: true,
      modelName: true,
      macAddress: true,
      firstInformAt: true,
      lastInformAt: true,
      tenant: { select: { id: true, name: true } },
    },
    orderBy: [{ lastInformAt: { sort: "desc", nulls: "last" } }, { serialNumber: "asc" }],
    take: Math.min(input.limit ?? 200, 1000),
  });
}
