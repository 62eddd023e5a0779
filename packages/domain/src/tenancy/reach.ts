import { NotFound } from "../errors.ts";
import type { ScopedDb } from "./tenant-scope.ts";

/**
 * What a console action works on, for Tenancy.withinReach: the row is read through the tenant scope to find its
 * domain, so a row out of reach is not found, exactly like one that does not exist.
 */
export type ReachTarget =
  | { domainId: string }
  | { deviceId: string }
  | { roomId: string }
  | { buildingId: string }
  | { floorId: string }
  | { subscriberId: string }
  | { lineId: string }
  | { templateId: string }
  | { checkoutId: string }
  | { alarmId: string }
  | { campaignId: string };

/** The domain a target belongs to. */
export interface ReachedDomain {
  id: string;
  ancestorIds: string[];
}

const TENANT = { tenant: { select: { id: true, ancestorIds: true } } } as const;

export async function reachableDomain(db: ScopedDb, target: ReachTarget): Promise<ReachedDomain> {
  if ("domainId" in target) {
    const tenant = await db.tenant.findUnique({
      where: { id: target.domainId },
      select: { id: true, ancestorIds: true },
    });
    if (!tenant) throw new NotFound("domain");
    return tenant;
  }
  const [what, row] = await ownerRow(db, target);
  if (!row) throw new NotFound(what);
  return row.tenant;
}

type OwnerRow = { tenant: ReachedDomain } | null;

async function ownerRow(db: ScopedDb, target: Exclude<ReachTarget, { domainId: string }>): Promise<[string, OwnerRow]> {
  if ("deviceId" in target)
    return ["device", await db.device.findUnique({ where: { id: target.deviceId }, select: TENANT })];
  if ("roomId" in target) return ["room", await db.room.findUnique({ where: { id: target.roomId }, select: TENANT })];
  if ("buildingId" in target)
    return ["building", await db.building.findUnique({ where: { id: target.buildingId }, select: TENANT })];
  if ("floorId" in target)
    return ["floor", await db.floor.findUnique({ where: { id: target.floorId }, select: TENANT })];
  if ("subscriberId" in target)
    return ["subscriber", await db.subscriber.findUnique({ where: { id: target.subscriberId }, select: TENANT })];
  if ("lineId" in target) return ["line", await db.line.findUnique({ where: { id: target.lineId }, select: TENANT })];
  if ("templateId" in target)
    return ["template", await db.template.findUnique({ where: { id: target.templateId }, select: TENANT })];
  if ("checkoutId" in target)
    return ["checkout", await db.checkout.findUnique({ where: { id: target.checkoutId }, select: TENANT })];
  if ("alarmId" in target)
    return ["alarm", await db.alarm.findUnique({ where: { id: target.alarmId }, select: TENANT })];
  return ["campaign", await db.firmwareCampaign.findUnique({ where: { id: target.campaignId }, select: TENANT })];
}
