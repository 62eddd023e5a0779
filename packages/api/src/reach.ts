import type { Db } from "@beacon/db";
import {
  authorize,
  NotFound,
  type Permission,
  type ScopedDb,
  type Tenancy,
  type TenantAccess,
  wakeDevice,
} from "@beacon/domain";

/**
 * The templates, provisioning, sites and checkout functions of @beacon/domain take the unscoped database and know
 * nothing of the user. Procedures reach them through here: the target is read through the tenant scope first (out
 * of reach reads as not found, like a row that does not exist), the user's role on its domain must grant the
 * permission, and only then is the unscoped database handed out.
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
  | { checkoutId: string };

export interface ReachContext {
  db: ScopedDb;
  access: TenantAccess;
  tenancy: Tenancy;
}

export interface Reached {
  db: Db;
  /** The target's domain. */
  tenant: { id: string; ancestorIds: string[] };
}

export async function reach(ctx: ReachContext, target: ReachTarget, permission: Permission): Promise<Reached> {
  const tenant = await domainOf(ctx.db, target);
  authorize(ctx.access, permission, tenant);
  return { db: ctx.tenancy.unscoped(), tenant };
}

const TENANT = { tenant: { select: { id: true, ancestorIds: true } } } as const;

async function domainOf(db: ScopedDb, target: ReachTarget): Promise<Reached["tenant"]> {
  if ("domainId" in target) {
    const tenant = await db.tenant.findUnique({ where: { id: target.domainId }, select: { id: true, ancestorIds: true } });
    if (!tenant) throw new NotFound("domain");
    return tenant;
  }
  const [what, row] = await ownerRow(db, target);
  if (!row) throw new NotFound(what);
  return row.tenant;
}

type OwnerRow = { tenant: Reached["tenant"] } | null;

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
  return ["checkout", await db.checkout.findUnique({ where: { id: target.checkoutId }, select: TENANT })];
}

const WAKE_CONCURRENCY = 8;

/**
 * Connection requests for devices that were just given tasks, so that they run now rather than at the next
 * periodic Inform. Not awaited: an unreachable device takes seconds to time out, and its task waits in the queue
 * either way (wakeDevice records the outcome on the task).
 */
export function wakeInBackground(db: Db, devices: readonly { deviceId: string; taskId: string | null }[]): void {
  const queue = devices.filter((d): d is { deviceId: string; taskId: string } => d.taskId !== null);
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      await wakeDevice(db, next.deviceId, { taskId: next.taskId }).catch(() => undefined);
    }
  };
  for (let i = 0; i < Math.min(WAKE_CONCURRENCY, queue.length); i++) void worker();
}
