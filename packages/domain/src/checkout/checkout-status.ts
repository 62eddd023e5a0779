import type { Checkout, CheckoutState, Db, Prisma, TaskState } from "@beacon/db";
import { clearEventAlarm, raiseEventAlarm } from "../alarms/event-alarms.ts";
import { NotFound } from "../errors.ts";
import { NETWORK_OK, type NetworkOutcome } from "./checkout-networks.ts";

/**
 * A checkout is done when all its tasks are and every network a guest could use took the new passphrase (the
 * checkoutNetworks task's result says so per network); incomplete when its tasks ended but a network did not;
 * failed when one of its tasks ended otherwise. Its state is worked out
 * from the tasks whenever checkouts are read (settleCheckouts), so nothing has to tell it; the session layer may
 * also call settleCheckouts({ deviceId }) at the end of a session to settle them sooner.
 */

/** Tasks not queued this long after the checkout was recorded never will be: the process stopped in between. */
const UNQUEUED_AFTER_MS = 5 * 60_000;

/**
 * A SetParameterValues the device refused in part (fault 9003 naming the parameters) is retried without the refused
 * values by a task queued in the background (retryWithoutRejected), which then takes its place in the checkout.
 * Until that has happened the checkout is not failed yet; after this long it is.
 */
const RETRY_PENDING_MS = 60_000;

interface TaskOutcomeRow {
  id: string;
  kind: string;
  state: TaskState;
  faultCode: number | null;
  faultString: string | null;
  finishedAt: Date | null;
  result?: Prisma.JsonValue;
}

function awaitsRetry(task: TaskOutcomeRow, now: Date): boolean {
  if (task.kind !== "setParameterValues" || task.state !== "fault" || task.faultCode !== 9003) return false;
  // retryWithoutRejected claims the task ("retriedBy": "claimed") before it queues the retry and rewrites the
  // checkout's task list: until then the retry is still on its way.
  const retriedBy =
    task.result !== null && typeof task.result === "object" && !Array.isArray(task.result)
      ? task.result.retriedBy
      : undefined;
  const handled = retriedBy !== undefined && retriedBy !== "claimed";
  return !handled && now.getTime() - (task.finishedAt?.getTime() ?? now.getTime()) < RETRY_PENDING_MS;
}

function networkResult(task: TaskOutcomeRow | undefined): { networks: NetworkOutcome[]; notes: string[] } | null {
  const result = task?.result;
  if (!result || typeof result !== "object" || Array.isArray(result)) return null;
  const r = result as { networks?: unknown; notes?: unknown };
  if (!Array.isArray(r.networks)) return null;
  return {
    networks: r.networks as unknown as NetworkOutcome[],
    notes: Array.isArray(r.notes) ? (r.notes as string[]) : [],
  };
}

/** "2.4 GHz main network "Hotel" (…): refused …; 5 GHz guest …: …" */
export function networksLeft(networks: readonly NetworkOutcome[], notes: readonly string[] = []): string {
  const left = networks.filter((n) => !NETWORK_OK.has(n.status)).map((n) => `${n.label}: ${n.reason ?? n.status}`);
  return [...left, ...(networks.length === 0 ? notes : [])].join("; ");
}

export function checkoutOutcome(
  checkout: Pick<Checkout, "taskIds" | "createdAt" | "problem">,
  tasks: readonly TaskOutcomeRow[],
  now: Date,
): { state: CheckoutState; problem: string | null; completedAt: Date | null; networks?: NetworkOutcome[] } {
  if (checkout.taskIds.length === 0) {
    return now.getTime() - checkout.createdAt.getTime() > UNQUEUED_AFTER_MS
      ? { state: "failed", problem: "its tasks were never queued; check the room out again", completedAt: now }
      : { state: "pending", problem: checkout.problem, completedAt: null };
  }
  const mine = checkout.taskIds.map((id) => tasks.find((t) => t.id === id));
  if (mine.some((t) => t === undefined)) {
    return { state: "failed", problem: "one of its tasks was deleted", completedAt: now };
  }
  const found = mine as TaskOutcomeRow[];
  if (found.some((t) => awaitsRetry(t, now))) return { state: "pending", problem: checkout.problem, completedAt: null };
  const failed = found.find((t) => t.state === "fault" || t.state === "expired" || t.state === "cancelled");
  if (failed) {
    const why =
      failed.state === "fault" ? `fault ${failed.faultCode ?? ""} ${failed.faultString ?? ""}`.trim() : failed.state;
    const problem = [checkout.problem, `the ${failed.kind} task ended: ${why}`].filter(Boolean).join("; ");
    return { state: "failed", problem, completedAt: failed.finishedAt ?? now };
  }
  if (found.every((t) => t.state === "done")) {
    const last = new Date(Math.max(...found.map((t) => t.finishedAt?.getTime() ?? now.getTime())));
    const networkTask = found.find((t) => t.kind === "checkoutNetworks");
    if (!networkTask) return { state: "done", problem: checkout.problem, completedAt: last };
    const result = networkResult(networkTask);
    const networks = result?.networks ?? [];
    const complete = networks.length > 0 && networks.every((n) => NETWORK_OK.has(n.status));
    if (complete) return { state: "done", problem: checkout.problem, completedAt: last, networks };
    const left = networksLeft(networks, result?.notes ?? ["the device's networks could not be recognised"]);
    const problem = [checkout.problem, `not every network took the new passphrase: ${left}`].filter(Boolean).join("; ");
    return { state: "incomplete", problem, completedAt: last, networks };
  }
  return { state: "pending", problem: checkout.problem, completedAt: null };
}

/** Settles the pending checkouts matching the filter from their tasks; returns how many changed state. */
export async function settleCheckouts(
  db: Db,
  filter: { checkoutIds?: string[]; roomIds?: string[]; deviceId?: string; tenantId?: string },
  now: Date = new Date(),
): Promise<number> {
  const where: Prisma.CheckoutWhereInput = { state: "pending" };
  if (filter.checkoutIds) where.id = { in: filter.checkoutIds };
  if (filter.roomIds) where.roomId = { in: filter.roomIds };
  if (filter.deviceId) where.deviceId = filter.deviceId;
  if (filter.tenantId) where.tenant = { ancestorIds: { has: filter.tenantId } };
  // Every CWMP session's end asks this for its device, which almost never has a checkout pending: one round trip
  // (an include of the room would cost a second one each time); the room's number is read when an alarm needs it.
  const pending = await db.checkout.findMany({ where });
  if (pending.length === 0) return 0;
  const tasks = await db.task.findMany({
    where: { id: { in: pending.flatMap((c) => c.taskIds) } },
    select: { id: true, kind: true, state: true, faultCode: true, faultString: true, finishedAt: true, result: true },
  });
  let changed = 0;
  for (const checkout of pending) {
    const outcome = checkoutOutcome(checkout, tasks, now);
    if (outcome.state === "pending") continue;
    const { networks, ...rest } = outcome;
    const data = { ...rest, ...(networks ? { networks: networks as unknown as Prisma.InputJsonValue } : {}) };
    const count = await db.$transaction(async (tx) => {
      const updated = await tx.checkout.updateMany({ where: { id: checkout.id, state: "pending" }, data });
      if (updated.count === 0 || !checkout.deviceId) return updated.count;
      // A checkout that left a network a guest could use is the room's alarm until a checkout completes.
      if (outcome.state === "done") {
        await clearEventAlarm(tx, { deviceId: checkout.deviceId, type: "checkout.incomplete", now });
      } else {
        const room = await tx.room.findUnique({ where: { id: checkout.roomId }, select: { number: true } });
        await raiseEventAlarm(tx, {
          tenantId: checkout.tenantId,
          deviceId: checkout.deviceId,
          type: "checkout.incomplete",
          severity: "major",
          message: `Room ${room?.number ?? "?"}: checkout ${outcome.state}: ${outcome.problem ?? "no detail"}`,
          now,
        });
      }
      return updated.count;
    });
    changed += count;
  }
  return changed;
}

export interface CheckoutView {
  id: string;
  roomId: string;
  roomNumber: string;
  deviceId: string | null;
  state: CheckoutState;
  /** The guest passphrase the checkout set, to show or print. */
  passphrase: string;
  reboot: boolean;
  taskIds: string[];
  problem: string | null;
  /** Per network: what the checkout did and whether the device confirmed it. */
  networks: NetworkOutcome[];
  requestedBy: string;
  createdAt: Date;
  completedAt: Date | null;
}

const VIEW_INCLUDE = { room: { select: { number: true } } } as const;

function view(c: Checkout & { room: { number: string } }): CheckoutView {
  return {
    id: c.id,
    roomId: c.roomId,
    roomNumber: c.room.number,
    deviceId: c.deviceId,
    state: c.state,
    passphrase: c.passphrase,
    reboot: c.reboot,
    taskIds: c.taskIds,
    problem: c.problem,
    networks: Array.isArray(c.networks) ? (c.networks as unknown as NetworkOutcome[]) : [],
    requestedBy: c.requestedBy,
    createdAt: c.createdAt,
    completedAt: c.completedAt,
  };
}

export async function getCheckout(db: Db, checkoutId: string): Promise<CheckoutView> {
  await settleCheckouts(db, { checkoutIds: [checkoutId] });
  const checkout = await db.checkout.findUnique({ where: { id: checkoutId }, include: VIEW_INCLUDE });
  if (!checkout) throw new NotFound("checkout");
  return view(checkout);
}

/** A room's or a site's checkouts, newest first, settled. */
export async function listCheckouts(
  db: Db,
  input: { roomId: string; limit?: number } | { siteId: string; limit?: number },
): Promise<CheckoutView[]> {
  const where: Prisma.CheckoutWhereInput = "roomId" in input ? { roomId: input.roomId } : { tenantId: input.siteId };
  await settleCheckouts(db, "roomId" in input ? { roomIds: [input.roomId] } : { tenantId: input.siteId });
  const checkouts = await db.checkout.findMany({
    where,
    include: VIEW_INCLUDE,
    orderBy: { createdAt: "desc" },
    take: Math.min(input.limit ?? 50, 500),
  });
  return checkouts.map(view);
}
