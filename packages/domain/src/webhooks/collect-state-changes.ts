import type { Db, Prisma } from "@beacon/db";
import type { NetworkOutcome } from "../checkout/checkout-networks.ts";
import { networksLeft, settleCheckouts } from "../checkout/checkout-status.ts";
import { COLLECT_LOCK_KEY, databaseNow, tryLock } from "./webhook-cursor.ts";

/**
 * Turns changes that nothing records as a DomainEvent yet into DomainEvent rows: tasks that finished (task.finished,
 * and fault for a fault), devices that informed for the first time (device.registered) and checkouts whose last
 * task finished (checkout.done). It reads windows of time (cursor, now - lag], each exactly once: the lag lets
 * transactions that set finishedAt or firstInformAt commit before their window is read.
 *
 * When the task queue, the device registry and the checkout settlement record these events in their own
 * transactions (recordDomainEvent), this collector goes away and the events arrive at once instead of after the lag.
 */

const CURSOR = "state-changes";
/** A window read in one go at most, so that catching up after downtime happens in bounded steps. */
const LONGEST_WINDOW_MS = 5 * 60_000;

export interface CollectOptions {
  /** How long a transaction that finishes a task or registers a device may take to commit. */
  lagMs: number;
}

interface FinishedTask {
  id: string;
  tenantId: string;
  deviceId: string;
  kind: string;
  state: string;
  faultCode: number | null;
  faultString: string | null;
}

/** Records the window after the cursor; answers how many events it recorded. */
export async function collectStateChanges(db: Db, options: CollectOptions): Promise<number> {
  const now = await databaseNow(db);
  const cursor = await db.webhookCursor.findUnique({ where: { name: CURSOR } });
  const upper = new Date(now.getTime() - options.lagMs);
  if (!cursor?.lastAt) {
    // The first run starts from here: history is not news.
    await db.webhookCursor.upsert({
      where: { name: CURSOR },
      create: { name: CURSOR, lastAt: upper },
      update: { lastAt: upper },
    });
    return 0;
  }
  const from = cursor.lastAt;
  const to = new Date(Math.min(upper.getTime(), from.getTime() + LONGEST_WINDOW_MS));
  if (to <= from) return 0;
  const window = { gt: from, lte: to };

  // Settling is idempotent and needs the plain client, so it runs before the locked transaction.
  const finishedTaskIds = await db.task.findMany({ where: { finishedAt: window }, select: { id: true } });
  const touched = finishedTaskIds.length
    ? await db.checkout.findMany({
        where: { state: "pending", taskIds: { hasSome: finishedTaskIds.map((t) => t.id) } },
        select: { id: true },
      })
    : [];
  if (touched.length) await settleCheckouts(db, { checkoutIds: touched.map((c) => c.id) });

  return db.$transaction(
    async (tx) => {
      if (!(await tryLock(tx, COLLECT_LOCK_KEY))) return 0;
      const current = await tx.webhookCursor.findUnique({ where: { name: CURSOR } });
      // Another dispatcher read this window while we were settling.
      if (current?.lastAt?.getTime() !== from.getTime()) return 0;
      const events = await eventsIn(tx, window);
      if (events.length) await tx.domainEvent.createMany({ data: events });
      await tx.webhookCursor.update({ where: { name: CURSOR }, data: { lastAt: to } });
      return events.length;
    },
    { timeout: 60_000 },
  );
}

type Window = { gt: Date; lte: Date };

async function eventsIn(tx: Prisma.TransactionClient, window: Window): Promise<Prisma.DomainEventCreateManyInput[]> {
  const [tasks, devices, checkouts] = await Promise.all([
    tx.task.findMany({
      where: { finishedAt: window },
      select: {
        id: true,
        tenantId: true,
        deviceId: true,
        kind: true,
        state: true,
        faultCode: true,
        faultString: true,
      },
      orderBy: [{ finishedAt: "asc" }, { id: "asc" }],
    }),
    tx.device.findMany({
      where: { firstInformAt: window },
      select: { id: true, tenantId: true, serialNumber: true, oui: true, productClass: true },
      orderBy: [{ firstInformAt: "asc" }, { id: "asc" }],
    }),
    // A checkout is done when its last task is (checkoutOutcome): completedAt is that task's finishedAt.
    tx.checkout.findMany({
      where: { state: { in: ["done", "incomplete", "failed"] }, completedAt: window },
      select: {
        id: true,
        tenantId: true,
        deviceId: true,
        roomId: true,
        state: true,
        problem: true,
        networks: true,
        room: { select: { number: true } },
      },
      orderBy: [{ completedAt: "asc" }, { id: "asc" }],
    }),
  ]);
  const events: Prisma.DomainEventCreateManyInput[] = [];
  for (const device of devices) {
    events.push({
      tenantId: device.tenantId,
      type: "device.registered",
      deviceId: device.id,
      subjectType: "device",
      subjectId: device.id,
      payload: { serialNumber: device.serialNumber, oui: device.oui, productClass: device.productClass },
    });
  }
  for (const task of tasks as FinishedTask[]) {
    const subject = { tenantId: task.tenantId, deviceId: task.deviceId, subjectType: "task", subjectId: task.id };
    events.push({
      ...subject,
      type: "task.finished",
      payload: { taskId: task.id, kind: task.kind, state: task.state },
    });
    if (task.state === "fault") {
      events.push({
        ...subject,
        type: "fault",
        payload: { taskId: task.id, kind: task.kind, faultCode: task.faultCode, faultString: task.faultString },
      });
    }
  }
  for (const checkout of checkouts) {
    const subject = { checkoutId: checkout.id, roomId: checkout.roomId, roomNumber: checkout.room.number };
    const networks = Array.isArray(checkout.networks) ? (checkout.networks as unknown as NetworkOutcome[]) : [];
    events.push({
      tenantId: checkout.tenantId,
      type: checkout.state === "done" ? "checkout.done" : "checkout.incomplete",
      deviceId: checkout.deviceId,
      subjectType: "checkout",
      subjectId: checkout.id,
      payload:
        checkout.state === "done"
          ? subject
          : { ...subject, state: checkout.state, networksLeft: networksLeft(networks) || checkout.problem },
    });
  }
  return events;
}
