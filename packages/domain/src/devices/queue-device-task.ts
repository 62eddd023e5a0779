import type { Prisma } from "@beacon/db";
import { z } from "zod";
import { appendAudit } from "../audit/audit-trail.ts";
import { Invalid } from "../errors.ts";
import { TaskArgs } from "../tasks/task-kinds.ts";
import type { Permission } from "../tenancy/permissions.ts";
import { authorize, type TenantAccess } from "../tenancy/tenant-access.ts";
import type { ScopedDb } from "../tenancy/tenant-scope.ts";
import { describeTask } from "./device-history.ts";
import { reachableDevice } from "./get-device.ts";

/** The device actions of the console and the permission each needs. */
export const DEVICE_ACTION_PERMISSIONS = {
  reboot: "device.reboot",
  factoryReset: "device.factoryReset",
  refresh: "device.refresh",
  readNetworkMap: "device.refresh",
  setParameterValues: "device.setParameter",
} as const satisfies Record<string, Permission>;

export const DeviceAction = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("reboot") }),
  z.object({ kind: z.literal("factoryReset") }),
  z.object({ kind: z.literal("refresh"), path: z.string().trim().max(1024).default("") }),
  /** Reads the device's WiFi and WAN subtrees and rebuilds its network map. */
  z.object({ kind: z.literal("readNetworkMap") }),
  z.object({
    kind: z.literal("setParameterValues"),
    values: z
      .array(
        z.object({
          name: z.string().trim().min(1).max(1024),
          value: z.string().max(65_535),
          type: z.string().max(64).optional(),
        }),
      )
      .min(1)
      .max(100),
  }),
]);
export type DeviceAction = z.output<typeof DeviceAction>;

/** Asks a device to connect now; the tenancy capability of the API does it for devices within reach. */
export interface DeviceWaker {
  wakeDevice(access: TenantAccess, deviceId: string, taskId: string): Promise<unknown>;
}

/**
 * Queues a console action as a Task for the device's next CWMP session, checking the viewer's role on the device's
 * domain and, for new values, that the device reported those parameters as writable. With a waker, the device is
 * asked to connect at once (TR-069 3.2.2 connection request); the outcome lands on the task, not in the answer.
 */
export async function queueDeviceTask(
  db: ScopedDb,
  access: TenantAccess,
  input: { deviceId: string; action: DeviceAction },
  waker?: DeviceWaker,
): Promise<{ id: string }> {
  const device = await reachableDevice(db, input.deviceId);
  const { action } = input;
  authorize(access, DEVICE_ACTION_PERMISSIONS[action.kind], device.tenant);
  let args: Prisma.InputJsonObject;
  let before: Prisma.InputJsonValue | undefined;
  switch (action.kind) {
    case "reboot":
      // No CommandKey: the Reboot then carries the task's id, which its M Reboot Inform names back.
      args = TaskArgs.reboot.parse({});
      break;
    case "factoryReset":
      args = TaskArgs.factoryReset.parse({});
      break;
    case "refresh":
      args = TaskArgs.refresh.parse({ path: action.path });
      break;
    case "readNetworkMap":
      args = {};
      break;
    case "setParameterValues": {
      const known = await db.deviceParameter.findMany({
        where: { deviceId: device.id, name: { in: action.values.map((v) => v.name) } },
        select: { name: true, value: true, type: true, writable: true, isObject: true },
      });
      const byName = new Map(known.map((p) => [p.name, p]));
      const values = action.values.map((v) => {
        const parameter = byName.get(v.name);
        if (!parameter || parameter.isObject) {
          throw new Invalid(`the device has not reported a parameter ${v.name}; refresh its parameters first`);
        }
        if (parameter.writable === false) throw new Invalid(`${v.name} is read-only on this device`);
        return {
          name: v.name,
          value: v.value,
          ...(v.type || parameter.type ? { type: v.type ?? parameter.type! } : {}),
        };
      });
      args = TaskArgs.setParameterValues.parse({ values });
      before = { values: action.values.map((v) => ({ name: v.name, value: byName.get(v.name)?.value ?? null })) };
      break;
    }
  }
  const task = await db.$transaction(async (tx) => {
    const created = await tx.task.create({
      data: { tenantId: device.tenantId, deviceId: device.id, kind: action.kind, args, createdBy: access.actor.label },
      select: { id: true },
    });
    await appendAudit(tx, {
      tenantId: device.tenantId,
      actorId: access.actor.id,
      actorLabel: access.actor.label,
      action: `device.${action.kind}`,
      targetType: "task",
      targetId: created.id,
      deviceId: device.id,
      before,
      after: { task: describeTask(action.kind, args), ...args },
    });
    return created;
  });
  // Not awaited: a CPE may take seconds to answer, and the task runs at its next session either way.
  waker?.wakeDevice(access, device.id, task.id).catch(() => {});
  return task;
}
