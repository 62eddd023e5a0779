import type { Db, Prisma, Template, TemplateVersion } from "@beacon/db";
import { DomainError, Invalid, NotAllowed, NotFound } from "../errors.ts";
import { loadNetworkMap, queueNetworkMapRead } from "../networks/read-network-map.ts";
import { compareRoomNumbers } from "../sites/rooms.ts";
import { createTask } from "../tasks/create-task.ts";
import type { Actor } from "../users/users.ts";
import {
  type AssignmentWithTarget,
  activeAssignmentOf,
  type DeviceForTemplates,
  loadDeviceForTemplates,
  mappingForDevice,
  variableContext,
} from "./device-context.ts";
import { loadMappings, type MappingSet } from "./mappings.ts";
import { candidatePaths, knownParametersFor, type PlannedValue, planDevice, type SkippedSetting } from "./plan.ts";
import { renderValue, usesVariable } from "./render.ts";
import { templateReaches, versionContent } from "./templates.ts";
import { checkSettingValue, DEFAULT_CHECKOUT_PASSPHRASE_RULE } from "./vocabulary.ts";

export interface VersionToApply {
  template: Pick<Template, "id" | "name" | "tenantId">;
  version: Pick<TemplateVersion, "id" | "version" | "settings" | "rawParameters">;
  /** Values decided already, by setting (a replaced device's, a checkout's new passphrase): used as they are. */
  fixed?: Readonly<Record<string, string>>;
}

export interface TemplateSkip extends SkippedSetting {
  templateId: string;
}

export interface DeviceApplication {
  deviceId: string;
  /** The setParameterValues task carrying every value, or null when there was nothing to set. */
  taskId: string | null;
  /**
   * Settings given by meaning while the device's networks are not known yet go into an applySettings task that
   * the device's next session runs after reading them; null when there were none.
   */
  deferredTaskId: string | null;
  values: number;
  skipped: TemplateSkip[];
}

export interface ApplyVersionsInput {
  deviceId: string;
  versions: readonly VersionToApply[];
  actor: Actor;
  mappings?: MappingSet;
  /** The device's room or line assignment when the caller has it (provisioning); otherwise it is looked up. */
  assignment?: AssignmentWithTarget | null;
}

/**
 * Puts template versions on one device: one setParameterValues task with every value (a later template wins
 * where two set the same parameter) and one DeviceTemplate row per template recording what it set.
 */
export async function applyVersionsToDevice(db: Db, input: ApplyVersionsInput): Promise<DeviceApplication> {
  const mappings = input.mappings ?? loadMappings();
  const device = await loadDeviceForTemplates(db, input.deviceId);
  for (const { template } of input.versions) {
    if (!templateReaches(template, device.tenant)) {
      throw new NotAllowed(
        `template ${template.name} belongs to another branch of domains; a template serves its own domain and those below it`,
      );
    }
  }
  const assignment = input.assignment !== undefined ? input.assignment : await activeAssignmentOf(db, device.id);
  const contents = input.versions.map((v) => ({ ...v, content: versionContent(v.version) }));
  const placed = await ensureRoomPassphrase(
    db,
    device,
    assignment,
    contents.map((c) => c.content),
  );

  const { root, mapping } = await mappingForDevice(db, device, mappings);
  const networks = (await loadNetworkMap(db, device.id))?.map ?? null;
  const paths = contents.flatMap((c) =>
    candidatePaths(mapping, { ...c.content.settings, ...c.fixed }, c.content.rawParameters, networks),
  );
  const known = await knownParametersFor(db, device.id, [...new Set(paths)]);
  const context = variableContext(device, placed);

  const plans = contents.map((c) => ({
    ...c,
    plan: planDevice({
      root,
      mapping,
      networks,
      known,
      settings: c.content.settings,
      rawParameters: c.content.rawParameters,
      context,
      fixed: c.fixed,
    }),
  }));

  // A later template wins a parameter both set; the earlier one says so.
  const owner = new Map<string, number>();
  plans.forEach((p, i) => {
    for (const v of p.plan.values) owner.set(v.path, i);
  });
  const effective = plans.map((p, i) => {
    const kept: PlannedValue[] = [];
    const skipped: TemplateSkip[] = p.plan.skipped.map((s) => ({ ...s, templateId: p.template.id }));
    for (const v of p.plan.values) {
      if (owner.get(v.path) === i) kept.push(v);
      else
        skipped.push({
          setting: v.setting,
          path: v.path,
          reason: `template ${plans[owner.get(v.path)!]!.template.name} sets it too and wins`,
          templateId: p.template.id,
        });
    }
    return { ...p, kept, skipped };
  });
  const all = effective.flatMap((e) => e.kept);

  // Settings by meaning on a device whose networks are not read yet: resolved by the session after it reads them.
  const deferred: Record<string, string> = {};
  const deferredFrom: Record<string, string> = {};
  for (const e of effective) {
    for (const s of e.skipped) {
      if (!s.awaitsNetworks || !s.setting) continue;
      const raw = e.fixed?.[s.setting];
      const rendered =
        raw !== undefined ? { ok: true as const, value: raw } : renderValue(e.content.settings[s.setting]!, context);
      const checked = rendered.ok ? checkSettingValue(s.setting, rendered.value) : null;
      if (!checked?.ok) continue;
      deferred[s.setting] = checked.value;
      deferredFrom[s.setting] = e.template.id;
    }
  }
  let deferredTaskId: string | null = null;
  if (Object.keys(deferred).length > 0) {
    await queueNetworkMapRead(db, device, new Date());
    const task = await createTask(
      db,
      {
        deviceId: device.id,
        kind: "applySettings",
        args: { settings: deferred, templates: deferredFrom, parameterKey: parameterKeyFor(input.versions) },
      },
      input.actor,
    );
    deferredTaskId = task.id;
  }

  let taskId: string | null = null;
  if (all.length > 0) {
    const task = await createTask(
      db,
      {
        deviceId: device.id,
        kind: "setParameterValues",
        args: {
          values: all.map((v) => ({ name: v.path, value: v.value, type: v.type })),
          parameterKey: parameterKeyFor(input.versions),
        },
      },
      input.actor,
    );
    taskId = task.id;
  }

  await db.$transaction(async (tx) => {
    for (const e of effective) {
      const data = {
        tenantId: device.tenantId,
        templateVersionId: e.version.id,
        values: e.kept as unknown as Prisma.InputJsonValue,
        skipped: e.skipped.map(({ templateId: _t, ...s }) => s) as unknown as Prisma.InputJsonValue,
        rejected: [],
        taskIds: taskId && e.kept.length ? [taskId] : [],
        appliedBy: input.actor.label,
      };
      await tx.deviceTemplate.upsert({
        where: { deviceId_templateId: { deviceId: device.id, templateId: e.template.id } },
        create: { ...data, deviceId: device.id, templateId: e.template.id },
        update: data,
      });
    }
  });

  return {
    deviceId: device.id,
    taskId,
    deferredTaskId,
    values: all.length,
    skipped: effective.flatMap((e) => e.skipped),
  };
}

/** TR-069 ParameterKey (at most 32 characters): which template version the device's configuration came from. */
function parameterKeyFor(versions: readonly VersionToApply[]): string {
  const [only] = versions;
  if (versions.length === 1 && only) return `tpl-${only.template.id.slice(0, 8)}-v${only.version.version}`.slice(0, 32);
  return `tpls-${versions.length}-${Date.now().toString(36)}`;
}

/**
 * A room's first passphrase comes from the template's checkout rule when a template reads {{room.passphrase}}
 * and the room has none yet; it is stored on the room so that the front desk can hand it out.
 */
async function ensureRoomPassphrase(
  db: Db,
  device: DeviceForTemplates,
  assignment: AssignmentWithTarget | null,
  contents: readonly ReturnType<typeof versionContent>[],
): Promise<AssignmentWithTarget | null> {
  const room = assignment?.room;
  if (!room || room.wifiPassphrase) return assignment;
  const wanted = contents.some(
    (c) =>
      Object.values(c.settings).some((v) => usesVariable(v, "room.passphrase")) ||
      c.rawParameters.some((r) => usesVariable(r.value, "room.passphrase")),
  );
  if (!wanted) return assignment;
  const passphrase = newPassphrase(passphraseRuleOf(contents), variableContext(device, assignment));
  if (!passphrase.ok) return assignment;
  await db.room.updateMany({
    where: { id: room.id, wifiPassphrase: null },
    data: { wifiPassphrase: passphrase.value },
  });
  const stored = await db.room.findUnique({ where: { id: room.id }, select: { wifiPassphrase: true } });
  return { ...assignment, room: { ...room, wifiPassphrase: stored?.wifiPassphrase ?? passphrase.value } };
}

/** The checkout.passphrase rule of the first template that has one, else Beacon's default. */
export function passphraseRuleOf(contents: readonly { settings: Record<string, string> }[]): string {
  return (
    contents.find((c) => c.settings["checkout.passphrase"])?.settings["checkout.passphrase"] ??
    DEFAULT_CHECKOUT_PASSPHRASE_RULE
  );
}

export function newPassphrase(
  rule: string,
  context: ReturnType<typeof variableContext>,
): { ok: true; value: string } | { ok: false; problem: string } {
  const rendered = renderValue(rule, context);
  if (!rendered.ok) return rendered;
  const checked = checkSettingValue("checkout.passphrase", rendered.value);
  return checked.ok ? { ok: true, value: checked.value } : checked;
}

export type ApplyTarget =
  | { kind: "device"; deviceId: string }
  | { kind: "devices"; deviceIds: string[] }
  /** Rooms whose number is between from and to (in natural order: 99 < 101 < 1001) at one site. */
  | { kind: "rooms"; siteId: string; from: string; to: string }
  /** Every device of a domain and of the domains below it. */
  | { kind: "domain"; tenantId: string };

export interface ApplyTemplateInput {
  templateId: string;
  /** A specific version; the latest when left out. */
  versionId?: string;
  target: ApplyTarget;
  actor: Actor;
  mappings?: MappingSet;
}

export interface ApplyTemplateResult {
  templateId: string;
  version: number;
  devices: DeviceApplication[];
  /** Devices or rooms that got nothing, and why. */
  problems: { deviceId?: string; roomNumber?: string; reason: string }[];
}

/** Creates one setParameterValues task per device of the target and records the version each device now carries. */
export async function applyTemplate(db: Db, input: ApplyTemplateInput): Promise<ApplyTemplateResult> {
  const template = await db.template.findUnique({ where: { id: input.templateId } });
  if (!template) throw new NotFound("template");
  const version = await db.templateVersion.findFirst({
    where: input.versionId
      ? { id: input.versionId, templateId: template.id }
      : { templateId: template.id, version: template.latestVersion },
  });
  if (!version) throw new NotFound("template version");
  const mappings = input.mappings ?? loadMappings();
  const { deviceIds, problems } = await targetDevices(db, input.target);
  const devices: DeviceApplication[] = [];
  for (const deviceId of deviceIds) {
    try {
      devices.push(
        await applyVersionsToDevice(db, { deviceId, versions: [{ template, version }], actor: input.actor, mappings }),
      );
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      problems.push({ deviceId, reason: error.message });
    }
  }
  return { templateId: template.id, version: version.version, devices, problems };
}

async function targetDevices(
  db: Db,
  target: ApplyTarget,
): Promise<{ deviceIds: string[]; problems: ApplyTemplateResult["problems"] }> {
  switch (target.kind) {
    case "device":
      return { deviceIds: [target.deviceId], problems: [] };
    case "devices":
      return { deviceIds: [...new Set(target.deviceIds)], problems: [] };
    case "domain": {
      const devices = await db.device.findMany({
        where: { tenant: { ancestorIds: { has: target.tenantId } } },
        select: { id: true },
        orderBy: { serialNumber: "asc" },
      });
      return { deviceIds: devices.map((d) => d.id), problems: [] };
    }
    case "rooms": {
      if (compareRoomNumbers(target.from, target.to) > 0)
        throw new Invalid(`room ${target.from} comes after room ${target.to}`);
      const rooms = await db.room.findMany({
        where: { tenantId: target.siteId },
        select: {
          number: true,
          assignments: { where: { state: "provisioned", deviceId: { not: null } }, select: { deviceId: true } },
        },
      });
      const inRange = rooms
        .filter((r) => compareRoomNumbers(r.number, target.from) >= 0 && compareRoomNumbers(r.number, target.to) <= 0)
        .sort((a, b) => compareRoomNumbers(a.number, b.number));
      const problems: ApplyTemplateResult["problems"] = [];
      const deviceIds: string[] = [];
      for (const room of inRange) {
        const ids = room.assignments.map((a) => a.deviceId!);
        if (ids.length === 0)
          problems.push({ roomNumber: room.number, reason: `room ${room.number} has no provisioned device` });
        deviceIds.push(...ids);
      }
      return { deviceIds, problems };
    }
  }
}
