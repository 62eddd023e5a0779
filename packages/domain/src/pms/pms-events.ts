import type { Db, PmsConnector, PmsLinkState, Prisma } from "@beacon/db";
import { recordAudit } from "../audit/record-audit.ts";
import { checkoutRoom } from "../checkout/checkout-room.ts";
import { DomainError } from "../errors.ts";
import { beaconRoomNumber, readRoomMapping } from "./room-mapping.ts";

/**
 * What a PMS event does in Beacon, whichever way it came (a FIAS record, a cloud PMS webhook): a guest who leaves
 * makes the room's checkout run, exactly as the front desk's or the REST API's (checkoutRoom); everything the PMS
 * says is in the audit log; the connector keeps its counts, its last record and its last error.
 */

export type PmsConnectorRef = Pick<PmsConnector, "id" | "tenantId" | "kind" | "roomMapping">;

export interface PmsEffects {
  /** Asks the room's device to connect now (a connection request), so the checkout runs at once. */
  wake?: (deviceId: string, taskId: string) => Promise<unknown>;
}

export type PmsCheckoutOutcome =
  | { ok: true; roomNumber: string; checkoutId: string }
  | { ok: false; roomNumber: string | null; problem: string };

/** How the audit log names the PMS as an actor, e.g. "pms:fias". */
export function pmsActor(connector: Pick<PmsConnector, "kind">) {
  return { label: `pms:${connector.kind}` };
}

/** Runs the checkout of the site's room mapped from a PMS room number. */
export async function checkoutPmsRoom(
  db: Db,
  connector: PmsConnectorRef,
  input: { pmsRoom: string; reservation?: string | null; reason: string },
  effects: PmsEffects = {},
): Promise<PmsCheckoutOutcome> {
  const roomNumber = beaconRoomNumber(readRoomMapping(connector.roomMapping), input.pmsRoom);
  const noted = {
    pmsRoom: input.pmsRoom,
    room: roomNumber,
    reservation: input.reservation ?? null,
    reason: input.reason,
  };
  if (!roomNumber) {
    const problem = "the PMS named no room";
    await notePmsProblem(db, connector, "pms.checkout-failed", problem, noted);
    return { ok: false, roomNumber, problem };
  }
  try {
    const result = await checkoutRoom(db, { siteId: connector.tenantId, roomNumber, actor: pmsActor(connector) });
    await db.$transaction(async (tx) => {
      await tx.pmsConnector.update({ where: { id: connector.id }, data: { checkoutCount: { increment: 1 } } });
      await recordAudit(tx, {
        tenantId: connector.tenantId,
        actorLabel: pmsActor(connector).label,
        action: "pms.checkout",
        targetType: "pmsConnector",
        targetId: connector.id,
        after: { ...noted, checkoutId: result.checkoutId },
      });
    });
    const checkout = await db.checkout.findUnique({ where: { id: result.checkoutId }, select: { deviceId: true } });
    const firstTask = result.taskIds[0];
    if (effects.wake && checkout?.deviceId && firstTask)
      void effects.wake(checkout.deviceId, firstTask).catch(() => {});
    return { ok: true, roomNumber, checkoutId: result.checkoutId };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const problem = `room ${roomNumber} (PMS room ${input.pmsRoom}): ${error.message}`;
    await notePmsProblem(db, connector, "pms.checkout-failed", problem, noted);
    return { ok: false, roomNumber, problem };
  }
}

/** An event that changes nothing in Beacon (a check-in, a sharer leaving, a resync record), in the audit log. */
export async function notePmsEvent(
  db: Db,
  connector: Pick<PmsConnector, "id" | "tenantId" | "kind">,
  action: string,
  after: Prisma.InputJsonValue,
): Promise<void> {
  await recordAudit(db, {
    tenantId: connector.tenantId,
    actorLabel: pmsActor(connector).label,
    action,
    targetType: "pmsConnector",
    targetId: connector.id,
    after,
  });
}

/** Something the PMS sent that Beacon could not act on: counted, kept as the last error, in the audit log. */
export async function notePmsProblem(
  db: Db,
  connector: Pick<PmsConnector, "id" | "tenantId" | "kind">,
  action: string,
  problem: string,
  after: Prisma.InputJsonValue = {},
): Promise<void> {
  await db.$transaction(async (tx) => {
    await tx.pmsConnector.update({
      where: { id: connector.id },
      data: { errorCount: { increment: 1 }, lastError: problem.slice(0, 500), lastErrorAt: new Date() },
    });
    await recordAudit(tx, {
      tenantId: connector.tenantId,
      actorLabel: pmsActor(connector).label,
      action,
      targetType: "pmsConnector",
      targetId: connector.id,
      after: { problem, ...(after as object) },
    });
  });
}

/** One more record received from the PMS. */
export async function notePmsRecord(db: Db, connectorId: string, at = new Date()): Promise<void> {
  await db.pmsConnector.update({
    where: { id: connectorId },
    data: { recordCount: { increment: 1 }, lastRecordAt: at },
  });
}

/** The link's state as the connector shows it; a change of state is in the audit log. */
export async function setPmsLinkState(
  db: Db,
  connector: Pick<PmsConnector, "id" | "tenantId" | "kind">,
  state: PmsLinkState,
  detail?: string,
): Promise<void> {
  const now = new Date();
  const changed = await db.pmsConnector.updateMany({
    where: { id: connector.id, state: { not: state } },
    data: {
      state,
      stateChangedAt: now,
      ...(state === "error"
        ? { errorCount: { increment: 1 }, ...(detail ? { lastError: detail.slice(0, 500), lastErrorAt: now } : {}) }
        : {}),
    },
  });
  if (changed.count === 0) return;
  await notePmsEvent(db, connector, `pms.link.${state}`, detail ? { detail } : {});
}
