import { appendAudit } from "../audit/audit-trail.ts";
import { withDomainPaths } from "../domains/domain-paths.ts";
import { Invalid, NotFound } from "../errors.ts";
import { authorize, type TenantAccess } from "../tenancy/tenant-access.ts";
import type { ScopedDb } from "../tenancy/tenant-scope.ts";

export const MAX_DEVICES_PER_MOVE = 1000;

/**
 * Moves devices into another domain. The viewer needs device.move on every source domain and on the target; each
 * device's move is audited in the target, and in the source too when the source is not above the target.
 */
export async function moveDevices(
  db: ScopedDb,
  access: TenantAccess,
  input: { deviceIds: string[]; tenantId: string },
): Promise<{ moved: number }> {
  const deviceIds = [...new Set(input.deviceIds)];
  if (deviceIds.length === 0) throw new Invalid("select at least one device to move");
  if (deviceIds.length > MAX_DEVICES_PER_MOVE)
    throw new Invalid(`move at most ${MAX_DEVICES_PER_MOVE} devices at once`);
  const target = await db.tenant.findUnique({
    where: { id: input.tenantId },
    select: { id: true, name: true, kind: true, parentId: true, ancestorIds: true },
  });
  if (!target) throw new NotFound("domain");
  authorize(access, "device.move", target);
  const devices = await db.device.findMany({
    where: { id: { in: deviceIds } },
    select: {
      id: true,
      serialNumber: true,
      tenantId: true,
      tenant: { select: { id: true, name: true, kind: true, parentId: true, ancestorIds: true } },
    },
  });
  if (devices.length !== deviceIds.length) throw new NotFound("device");
  for (const device of devices) authorize(access, "device.move", device.tenant);
  const moving = devices.filter((d) => d.tenantId !== target.id);
  if (moving.length === 0) return { moved: 0 };
  const paths = new Map(
    (await withDomainPaths(db, [target, ...moving.map((d) => d.tenant)])).map((d) => [d.id, d.path.join(" / ")]),
  );
  await db.$transaction(async (tx) => {
    await tx.device.updateMany({ where: { id: { in: moving.map((d) => d.id) } }, data: { tenantId: target.id } });
    for (const device of moving) {
      const record = {
        actorId: access.actor.id,
        actorLabel: access.actor.label,
        action: "device.move",
        targetType: "device",
        targetId: device.id,
        deviceId: device.id,
        before: { domain: paths.get(device.tenantId) ?? device.tenant.name, serialNumber: device.serialNumber },
        after: { domain: paths.get(target.id) ?? target.name, serialNumber: device.serialNumber },
      };
      await appendAudit(tx, { ...record, tenantId: target.id });
      if (!target.ancestorIds.includes(device.tenantId))
        await appendAudit(tx, { ...record, tenantId: device.tenantId });
    }
  });
  return { moved: moving.length };
}
