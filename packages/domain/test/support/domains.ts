import type { Db, Task } from "@beacon/db";
import { createTenant, ensurePlatformTenant } from "../../src/tenants/tenants.ts";

export const actor = { label: "test@beacon.example" };

/** Platform -> integrator -> two hotels and an operator, the shape the tests need. */
export async function domainTree(db: Db, prefix: string) {
  const platform = await ensurePlatformTenant(db);
  const integrator = await createTenant(db, {
    name: `${prefix} integrator`,
    kind: "integrator",
    parentId: platform.id,
  });
  const hotel = await createTenant(db, { name: `${prefix} Hotel Azur`, kind: "hotel", parentId: integrator.id });
  const otherHotel = await createTenant(db, { name: `${prefix} Hotel Borée`, kind: "hotel", parentId: integrator.id });
  const operator = await createTenant(db, { name: `${prefix} FibreNet`, kind: "operator", parentId: integrator.id });
  return { platform, integrator, hotel, otherHotel, operator };
}

/**
 * What the session layer does when a device has run a task: the task ends, and a SetParameterValues that
 * succeeded leaves its values in DeviceParameter.
 */
export async function finishTask(db: Db, taskId: string, fault?: { code: number; message: string }): Promise<Task> {
  const now = new Date();
  const kindOf = (await db.task.findUniqueOrThrow({ where: { id: taskId }, select: { kind: true } })).kind;
  const task = await db.task.update({
    where: { id: taskId },
    data: fault
      ? {
          state: "fault",
          faultCode: fault.code,
          faultString: fault.message,
          finishedAt: now,
          attempts: { increment: 1 },
        }
      : {
          state: "done",
          finishedAt: now,
          attempts: { increment: 1 },
          // A checkout on a device that took the passphrase on its one network and reads passphrases back empty.
          ...(kindOf === "checkoutNetworks"
            ? {
                result: {
                  networks: [
                    {
                      path: "test.network.",
                      label: "test network",
                      band: "2.4GHz",
                      role: "main",
                      ssid: "test",
                      status: "unverifiable",
                      reason: null,
                      clientsDropped: true,
                    },
                  ],
                  notes: [],
                },
              }
            : {}),
        },
  });
  if (!fault && task.kind === "setParameterValues") {
    const { values } = task.args as { values: { name: string; value: string; type?: string }[] };
    for (const v of values) {
      await db.deviceParameter.upsert({
        where: { deviceId_name: { deviceId: task.deviceId, name: v.name } },
        create: { deviceId: task.deviceId, name: v.name, value: v.value, type: v.type ?? null },
        update: { value: v.value, updatedAt: now },
      });
    }
  }
  return task;
}

export function spvValues(task: Pick<Task, "args">): Record<string, string> {
  const { values } = task.args as { values: { name: string; value: string }[] };
  return Object.fromEntries(values.map((v) => [v.name, v.value]));
}
