import { randomInt } from "node:crypto";
import type { CampaignDeviceState, Db, FirmwareCampaign, FirmwareCampaignState, Prisma } from "@beacon/db";
import { z } from "zod";
import { recordAudit } from "../audit/record-audit.ts";
import { Conflict, Invalid, NotFound } from "../errors.ts";
import { cancelTask, type TaskActor } from "../tasks/create-task.ts";
import { firmwareForDomain } from "./firmware-library.ts";
import { MaintenanceWindow } from "./maintenance-windows.ts";

export const CampaignInput = z.object({
  /** The domain that owns the campaign. */
  tenantId: z.uuid(),
  name: z.string().trim().min(1).max(200),
  fileId: z.uuid(),
  /** The model targeted; or several with productClasses. */
  productClass: z.string().trim().min(1).optional(),
  productClasses: z.array(z.string().trim().min(1)).max(50).default([]),
  /** Devices of this domain and below; default the owner's domain. */
  domainId: z.uuid().optional(),
  /** Only devices of these domains (sites, hotels, customers) and below, each at or below domainId. */
  siteIds: z.array(z.uuid()).max(500).default([]),
  tag: z.string().trim().min(1).optional(),
  /** Only devices carrying at least one of these tags. */
  tags: z.array(z.string().trim().min(1)).max(50).default([]),
  /** Only devices on these versions; default any version but the target. */
  fromVersions: z.array(z.string().trim().min(1)).default([]),
  /** Default: the firmware file's version. */
  targetVersion: z.string().trim().min(1).optional(),
  /** Cumulative percentages of the devices, rising, ending with 100. */
  waves: z
    .array(z.number().int().min(1).max(100))
    .min(1)
    .default([1, 10, 100])
    .refine((w) => w.every((p, i) => i === 0 || p > w[i - 1]!), "wave percentages must rise")
    .refine((w) => w.at(-1) === 100, "the last wave must reach 100 percent"),
  /**
   * When devices may start, in each device's site's time zone; [] = any time. Not given: 02:00-05:00 when every
   * targeted site is a hotel (guests sleep), any time otherwise.
   */
  windows: z.array(MaintenanceWindow).optional(),
  maxConcurrent: z.number().int().min(1).max(100_000).default(50),
  /** Pause when more than this share of a wave fails, 0..1. */
  failureThreshold: z.number().min(0).max(1).default(0.1),
  downloadTimeoutMinutes: z
    .number()
    .int()
    .min(1)
    .max(7 * 1440)
    .default(120),
  returnTimeoutMinutes: z
    .number()
    .int()
    .min(1)
    .max(7 * 1440)
    .default(60),
  startsAt: z.coerce.date().optional(),
  /**
   * The number of devices the person starting the campaign was shown (previewCampaign) and confirmed; when
   * given, the campaign starts only if its targets still count that many.
   */
  confirmedDevices: z.number().int().min(1).optional(),
});
export type CampaignInput = z.input<typeof CampaignInput>;

/** The maintenance window of hotels when a campaign names none: at night, in the hotel's own time zone. */
export const HOTEL_MAINTENANCE_WINDOW: MaintenanceWindow = { start: "02:00", end: "05:00" };

/** How many devices each wave gets: wave i ends at ceil(N * waves[i] / 100), the first has at least one. */
export function waveSizes(devices: number, waves: readonly number[]): number[] {
  let previous = 0;
  return waves.map((percent, i) => {
    let end = Math.ceil((devices * percent) / 100);
    if (i === 0 && devices > 0) end = Math.max(1, end);
    end = Math.max(end, previous);
    const size = end - previous;
    previous = end;
    return size;
  });
}

export interface CreatedCampaign {
  campaign: FirmwareCampaign;
  devices: number;
  waveSizes: number[];
}

/** What a campaign would do, for the confirmation its creator must give before it starts. */
export interface CampaignPreview {
  devices: number;
  waveSizes: number[];
  waves: number[];
  targetVersion: string;
  file: { id: string; name: string };
  /** Devices per site (the domain right below the target domain, or the target domain itself). */
  sites: { id: string; name: string; kind: string; timeZone: string | null; devices: number }[];
  models: { productClass: string; devices: number }[];
  tags: string[];
  /** The windows that apply (the hotel default when none was given and every site is a hotel). */
  windows: MaintenanceWindow[];
  startsAt: Date | null;
}

interface Plan {
  c: z.output<typeof CampaignInput>;
  domainId: string;
  productClasses: string[];
  file: { id: string; name: string };
  targetVersion: string;
  windows: MaintenanceWindow[];
  targets: { id: string; productClass: string; siteId: string }[];
  sites: CampaignPreview["sites"];
}

/** Checks a campaign's input and picks its devices as they are now: shared by the preview and the start. */
async function planCampaign(db: Db, input: CampaignInput): Promise<Plan> {
  const parsed = CampaignInput.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Invalid(`campaign: ${issue.message}${issue.path.length ? ` (${issue.path.join(".")})` : ""}`);
  }
  const c = parsed.data;
  const productClasses = [...new Set([...(c.productClass ? [c.productClass] : []), ...c.productClasses])];
  if (!productClasses.length) throw new Invalid("campaign: choose at least one model (productClass)");
  const domainId = c.domainId ?? c.tenantId;
  const domain = await db.tenant.findUnique({ where: { id: domainId }, select: { ancestorIds: true } });
  if (!domain?.ancestorIds.includes(c.tenantId)) throw new NotFound("target domain");
  // Every site must lie within the target domain: another customer's site is "not found", never targeted.
  const siteIds = [...new Set(c.siteIds)];
  const chosen = siteIds.length
    ? await db.tenant.findMany({
        where: { id: { in: siteIds }, ancestorIds: { has: domainId } },
        select: { id: true },
      })
    : [];
  if (chosen.length !== siteIds.length) throw new NotFound("site");
  const file = await firmwareForDomain(db, c.tenantId, c.fileId);
  const foreign = productClasses.filter((pc) => file.productClasses.length && !file.productClasses.includes(pc));
  if (foreign.length) {
    throw new Invalid(`${file.name} is for ${file.productClasses.join(", ")}, not ${foreign.join(", ")}`);
  }
  const targetVersion = c.targetVersion ?? file.version;
  if (!targetVersion) throw new Invalid(`${file.name} carries no version: say which SoftwareVersion it installs`);
  const tags = [...new Set([...(c.tag ? [c.tag] : []), ...c.tags])];
  const devices = await db.device.findMany({
    where: {
      tenant: siteIds.length ? { ancestorIds: { hasSome: siteIds } } : { ancestorIds: { has: domainId } },
      productClass: { in: productClasses },
      ...(tags.length ? { tags: { hasSome: tags } } : {}),
      ...(c.fromVersions.length
        ? { softwareVersion: { in: c.fromVersions.filter((v) => v !== targetVersion) } }
        : { OR: [{ softwareVersion: null }, { softwareVersion: { not: targetVersion } }] }),
    },
    select: { id: true, productClass: true, tenant: { select: { ancestorIds: true } } },
  });
  // A device's site: the domain right below the target domain on its way down (or the target domain itself).
  const siteOf = (ancestorIds: string[]) => ancestorIds[ancestorIds.indexOf(domainId) + 1] ?? domainId;
  const targets = devices.map((d) => ({
    id: d.id,
    productClass: d.productClass,
    siteId: siteOf(d.tenant.ancestorIds),
  }));
  const counts = new Map<string, number>();
  for (const t of targets) counts.set(t.siteId, (counts.get(t.siteId) ?? 0) + 1);
  const siteRows = await db.tenant.findMany({
    where: { id: { in: [...new Set([...counts.keys(), ...siteIds])] } },
    select: { id: true, name: true, kind: true, timeZone: true },
    orderBy: { name: "asc" },
  });
  const sites = siteRows.map((s) => ({ ...s, devices: counts.get(s.id) ?? 0 }));
  const hotels = sites.length > 0 && sites.every((s) => s.kind === "hotel");
  const windows = c.windows ?? (hotels ? [HOTEL_MAINTENANCE_WINDOW] : []);
  return { c, domainId, productClasses, file, targetVersion, windows, targets, sites };
}

/** What createCampaign would start with the same input: the devices, waves, sites, models and windows. */
export async function previewCampaign(db: Db, input: CampaignInput): Promise<CampaignPreview> {
  const plan = await planCampaign(db, input);
  const models = new Map<string, number>();
  for (const t of plan.targets) models.set(t.productClass, (models.get(t.productClass) ?? 0) + 1);
  return {
    devices: plan.targets.length,
    waveSizes: waveSizes(plan.targets.length, plan.c.waves),
    waves: plan.c.waves,
    targetVersion: plan.targetVersion,
    file: { id: plan.file.id, name: plan.file.name },
    sites: plan.sites,
    models: plan.productClasses.map((productClass) => ({ productClass, devices: models.get(productClass) ?? 0 })),
    tags: [...new Set([...(plan.c.tag ? [plan.c.tag] : []), ...plan.c.tags])],
    windows: plan.windows,
    startsAt: plan.c.startsAt ?? null,
  };
}

/**
 * Plans a firmware campaign: picks the devices of the models in the target domain or chosen sites (and tags, and
 * current versions) as they are now, shuffles them into waves, and leaves the rest to advanceCampaign.
 */
export async function createCampaign(db: Db, input: CampaignInput, actor: TaskActor): Promise<CreatedCampaign> {
  const { c, domainId, productClasses, file, targetVersion, windows, targets } = await planCampaign(db, input);
  if (await db.firmwareCampaign.findUnique({ where: { tenantId_name: { tenantId: c.tenantId, name: c.name } } })) {
    throw new Conflict(`a campaign named ${c.name} exists already`);
  }
  if (!targets.length)
    throw new Invalid(
      `no ${productClasses.join(" or ")} device ${c.siteIds.length ? "on those sites" : "in that domain"} needs ${targetVersion}`,
    );
  if (c.confirmedDevices !== undefined && c.confirmedDevices !== targets.length) {
    throw new Conflict(
      `the campaign now targets ${targets.length} devices, not the ${c.confirmedDevices} confirmed: review it again`,
    );
  }
  const tags = [...new Set([...(c.tag ? [c.tag] : []), ...c.tags])];
  // Fisher-Yates: every wave is a fair sample of the fleet, not its oldest or newest devices.
  const order = targets.map((t) => t.id);
  for (let i = order.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const sizes = waveSizes(order.length, c.waves);
  const waveOf: number[] = sizes.flatMap((size, wave) => Array<number>(size).fill(wave));
  const campaign = await db.$transaction(async (tx) => {
    const created = await tx.firmwareCampaign.create({
      data: {
        tenantId: c.tenantId,
        name: c.name,
        domainId,
        siteIds: [...new Set(c.siteIds)],
        fileId: file.id,
        productClass: productClasses[0]!,
        productClasses,
        tag: c.tag,
        tags,
        fromVersions: c.fromVersions,
        targetVersion,
        waves: c.waves,
        windows: windows as Prisma.InputJsonValue,
        maxConcurrent: c.maxConcurrent,
        failureThreshold: c.failureThreshold,
        downloadTimeoutMinutes: c.downloadTimeoutMinutes,
        returnTimeoutMinutes: c.returnTimeoutMinutes,
        startsAt: c.startsAt,
        createdBy: actor.label,
      },
    });
    await tx.firmwareCampaignDevice.createMany({
      data: order.map((deviceId, i) => ({ campaignId: created.id, deviceId, wave: waveOf[i]! })),
    });
    await recordAudit(tx, {
      tenantId: c.tenantId,
      actorId: actor.id,
      actorLabel: actor.label,
      action: "firmwareCampaign.create",
      targetType: "firmwareCampaign",
      targetId: created.id,
      after: {
        name: c.name,
        fileId: file.id,
        productClasses,
        siteIds: c.siteIds,
        tags,
        targetVersion,
        devices: order.length,
        waves: c.waves,
        windows: windows as Prisma.InputJsonValue,
        ...(c.confirmedDevices !== undefined ? { confirmedDevices: c.confirmedDevices } : {}),
      },
    });
    return created;
  });
  return { campaign, devices: order.length, waveSizes: sizes };
}

async function campaignOrThrow(db: Db, campaignId: string): Promise<FirmwareCampaign> {
  const campaign = await db.firmwareCampaign.findUnique({ where: { id: campaignId } });
  if (!campaign) throw new NotFound("campaign");
  return campaign;
}

async function audit(
  db: Pick<Db, "auditEvent">,
  campaign: FirmwareCampaign,
  actor: TaskActor,
  action: string,
  after?: object,
) {
  await recordAudit(db, {
    tenantId: campaign.tenantId,
    actorId: actor.id,
    actorLabel: actor.label,
    action: `firmwareCampaign.${action}`,
    targetType: "firmwareCampaign",
    targetId: campaign.id,
    after: after as Prisma.InputJsonValue | undefined,
  });
}

/** Stops starting devices; downloads under way are still followed. */
export async function pauseCampaign(
  db: Db,
  campaignId: string,
  actor: TaskActor,
  reason?: string,
): Promise<FirmwareCampaign> {
  const campaign = await campaignOrThrow(db, campaignId);
  if (campaign.state !== "running") throw new Invalid(`the campaign is ${campaign.state}, not running`);
  return db.$transaction(async (tx) => {
    const paused = await tx.firmwareCampaign.update({
      where: { id: campaignId },
      data: { state: "paused", pausedReason: reason?.trim() || `paused by ${actor.label}` },
    });
    await audit(tx, campaign, actor, "pause", { reason: paused.pausedReason });
    return paused;
  });
}

/**
 * Starts devices again. After an automatic pause, the failures of the current wave so far count as accepted:
 * the wave pauses the campaign again only if more fail.
 */
export async function resumeCampaign(db: Db, campaignId: string, actor: TaskActor): Promise<FirmwareCampaign> {
  const campaign = await campaignOrThrow(db, campaignId);
  if (campaign.state !== "paused") throw new Invalid(`the campaign is ${campaign.state}, not paused`);
  const failures = await db.firmwareCampaignDevice.count({
    where: { campaignId, wave: campaign.currentWave, state: { in: ["failed", "notReturned"] } },
  });
  return db.$transaction(async (tx) => {
    const resumed = await tx.firmwareCampaign.update({
      where: { id: campaignId },
      data: { state: "running", pausedReason: null, acceptedFailures: failures },
    });
    await audit(tx, campaign, actor, "resume", { acceptedFailures: failures });
    return resumed;
  });
}

/**
 * Ends the campaign: devices not started are dropped and queued downloads cancelled. Downloads a device is
 * already running cannot be called back; they are still followed to their end.
 */
export async function cancelCampaign(db: Db, campaignId: string, actor: TaskActor): Promise<FirmwareCampaign> {
  const campaign = await campaignOrThrow(db, campaignId);
  if (campaign.state === "completed" || campaign.state === "cancelled") {
    throw new Invalid(`the campaign is ${campaign.state} already`);
  }
  const queued = await db.firmwareCampaignDevice.findMany({
    where: { campaignId, state: "downloading", taskId: { not: null } },
    select: { id: true, taskId: true },
  });
  for (const device of queued) {
    const task = await db.task.findUnique({ where: { id: device.taskId! }, select: { state: true } });
    if (task?.state !== "pending") continue;
    await cancelTask(db, device.taskId!, actor).catch(() => undefined);
    await db.firmwareCampaignDevice.updateMany({
      where: { id: device.id, state: "downloading" },
      data: { state: "cancelled", reason: "campaign cancelled", finishedAt: new Date() },
    });
  }
  return db.$transaction(async (tx) => {
    await tx.firmwareCampaignDevice.updateMany({
      where: { campaignId, state: "pending" },
      data: { state: "cancelled", reason: "campaign cancelled" },
    });
    const cancelled = await tx.firmwareCampaign.update({
      where: { id: campaignId },
      data: { state: "cancelled", completedAt: new Date() },
    });
    await audit(tx, campaign, actor, "cancel");
    return cancelled;
  });
}

export interface CampaignListItem extends FirmwareCampaign {
  file: { name: string; version: string | null };
  /** Devices of the campaign by state. */
  counts: Partial<Record<CampaignDeviceState, number>> & { devices: number };
}

export interface CampaignPage {
  rows: CampaignListItem[];
  total: number;
}

/** The campaigns of a domain and of the domains below it, newest first, a page at a time, with their device counts. */
export async function listCampaigns(
  db: Db,
  tenantId: string,
  options: { state?: FirmwareCampaignState; page?: number; pageSize?: number } = {},
): Promise<CampaignPage> {
  const page = options.page ?? 1;
  const pageSize = options.pageSize ?? 25;
  const where: Prisma.FirmwareCampaignWhereInput = {
    tenant: { ancestorIds: { has: tenantId } },
    ...(options.state ? { state: options.state } : {}),
  };
  const [campaigns, total] = await Promise.all([
    db.firmwareCampaign.findMany({
      where,
      include: { file: { select: { name: true, version: true } } },
      orderBy: [{ createdAt: "desc" }, { id: "asc" }],
      skip: (page - 1) * pageSize,
      take: pageSize,
    }),
    db.firmwareCampaign.count({ where }),
  ]);
  const groups = campaigns.length
    ? await db.firmwareCampaignDevice.groupBy({
        by: ["campaignId", "state"],
        where: { campaignId: { in: campaigns.map((c) => c.id) } },
        _count: true,
      })
    : [];
  const rows = campaigns.map((campaign) => {
    const counts: CampaignListItem["counts"] = { devices: 0 };
    for (const g of groups) {
      if (g.campaignId !== campaign.id) continue;
      counts[g.state] = g._count;
      counts.devices += g._count;
    }
    return { ...campaign, counts };
  });
  return { rows, total };
}

export interface CampaignDeviceRow {
  id: string;
  wave: number;
  state: CampaignDeviceState;
  reason: string | null;
  startedAt: Date | null;
  downloadedAt: Date | null;
  finishedAt: Date | null;
  device: { id: string; serialNumber: string; productClass: string; softwareVersion: string | null };
}

/** The devices of a campaign, a page at a time, by wave and serial number; filter by state to see the failed ones. */
export async function listCampaignDevices(
  db: Db,
  campaignId: string,
  options: { state?: CampaignDeviceState; wave?: number; page?: number; pageSize?: number } = {},
): Promise<{ rows: CampaignDeviceRow[]; total: number }> {
  const page = options.page ?? 1;
  const pageSize = options.pageSize ?? 50;
  const where: Prisma.FirmwareCampaignDeviceWhereInput = {
    campaignId,
    ...(options.state ? { state: options.state } : {}),
    ...(options.wave !== undefined ? { wave: options.wave } : {}),
  };
  const [rows, total] = await Promise.all([
    db.firmwareCampaignDevice.findMany({
      where,
      select: {
        id: true,
        wave: true,
        state: true,
        reason: true,
        startedAt: true,
        downloadedAt: true,
        finishedAt: true,
        device: { select: { id: true, serialNumber: true, productClass: true, softwareVersion: true } },
      },
      orderBy: [{ wave: "asc" }, { device: { serialNumber: "asc" } }],
      skip: (page - 1) * pageSize,
      take: pageSize,
    }),
    db.firmwareCampaignDevice.count({ where }),
  ]);
  return { rows, total };
}
