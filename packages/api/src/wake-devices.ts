import type { Tenancy, TenantAccess } from "@beacon/domain";

const WAKE_CONCURRENCY = 8;

/**
 * Connection requests for devices that were just given tasks, so that they run now rather than at the next
 * periodic Inform. Not awaited: an unreachable device takes seconds to time out, and its task waits in the queue
 * either way (the outcome is recorded on the task).
 */
export function wakeInBackground(
  ctx: { tenancy: Tenancy; access: TenantAccess },
  devices: readonly { deviceId: string; taskId: string | null }[],
): void {
  const queue = devices.filter((d): d is { deviceId: string; taskId: string } => d.taskId !== null);
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      await ctx.tenancy.wakeDevice(ctx.access, next.deviceId, next.taskId).catch(() => undefined);
    }
  };
  for (let i = 0; i < Math.min(WAKE_CONCURRENCY, queue.length); i++) void worker();
}
