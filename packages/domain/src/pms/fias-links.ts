import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { Db, PmsConnector } from "@beacon/db";
import { type FiasLink, openFiasLink } from "./fias-link.ts";
import type { FiasRecord } from "./fias-records.ts";
import {
  checkoutPmsRoom,
  notePmsEvent,
  notePmsProblem,
  notePmsRecord,
  type PmsConnectorRef,
  type PmsEffects,
  setPmsLinkState,
} from "./pms-events.ts";

/**
 * What a FIAS guest or database record means for the site's rooms:
 * - GO (check-out) resets the room, unless a sharer stays (GS=Y: only the last guest leaving resets it);
 * - GC with RO (a room move) resets the old room: the guest who knew its passphrase is gone from it;
 * - GI (check-in) changes nothing;
 * - records of a database resync (between DS and DE, marked SF) describe the present, not departures: they reset
 *   nothing.
 */
export function fiasRecordHandler(db: Db, connectorId: string, effects: PmsEffects = {}) {
  let resyncing = false;
  return async (record: FiasRecord): Promise<void> => {
    // Read for each record, so that a room mapping changed in the console applies at once.
    const connector: PmsConnectorRef | null = await db.pmsConnector.findUnique({ where: { id: connectorId } });
    if (!connector) return;
    await notePmsRecord(db, connector.id);
    const f = record.fields;
    const reservation = f["G#"] ?? null;
    const described = { record: record.type, room: f.RN ?? null, reservation };
    switch (record.type) {
      case "DS":
        resyncing = true;
        return notePmsEvent(db, connector, "pms.resync-start", {});
      case "DE":
        resyncing = false;
        return notePmsEvent(db, connector, "pms.resync-end", {});
      case "GI":
        return notePmsEvent(db, connector, "pms.checkin", { ...described, resync: "SF" in f });
      case "GO": {
        if ("SF" in f || resyncing) return notePmsEvent(db, connector, "pms.resync-record", described);
        if (f.GS?.toUpperCase() === "Y") return notePmsEvent(db, connector, "pms.checkout-shared", described);
        if (!f.RN) return notePmsProblem(db, connector, "pms.record-skipped", "a GO record without RN", described);
        await checkoutPmsRoom(db, connector, { pmsRoom: f.RN, reservation, reason: "check-out" }, effects);
        return;
      }
      case "GC": {
        const moved = f.RO && f.RO !== f.RN;
        if ("SF" in f || resyncing || !moved) {
          return notePmsEvent(db, connector, "pms.guest-change", { ...described, oldRoom: f.RO ?? null });
        }
        await checkoutPmsRoom(db, connector, { pmsRoom: f.RO!, reservation, reason: "room move" }, effects);
        return;
      }
      default:
        return notePmsEvent(db, connector, "pms.record-ignored", described);
    }
  };
}

export interface FiasLinksOptions extends PmsEffects {
  /** This process's name in the lease; defaults to host, pid and a random part. */
  holder?: string;
  /** How long a lease lasts without renewal: another worker takes the link over after this when one dies. */
  leaseMs?: number;
  /** How often connectors are looked at and leases renewed (well below leaseMs). */
  scanMs?: number;
  keepAliveMs?: number;
  silenceMs?: number;
  backoffMs?: { min: number; max: number };
  log?: (line: string) => void;
  onError?: (error: unknown) => void;
}

interface Running {
  link: FiasLink;
  host: string;
  port: number;
}

/**
 * `beacon worker`'s FIAS links: one per enabled FIAS connector, held by exactly one worker process however many run.
 * A connector's lease row (leaseHolder, leaseUntil) says which; the holder renews it every scan, and a lease left to
 * run out (a worker that died) is taken over by the next worker that scans.
 */
export function runFiasLinks(db: Db, options: FiasLinksOptions = {}) {
  const holder = options.holder ?? `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
  const leaseMs = options.leaseMs ?? 30_000;
  const scanMs = options.scanMs ?? Math.min(5000, leaseMs / 3);
  const log = options.log ?? (() => {});
  const running = new Map<string, Running>();
  let stopped = false;
  let scanning: Promise<void> = Promise.resolve();

  const take = async (id: string): Promise<boolean> => {
    const taken = await db.$executeRaw`
      UPDATE "PmsConnector"
         SET "leaseHolder" = ${holder}, "leaseUntil" = now() + ${leaseMs} * interval '1 millisecond'
       WHERE "id" = ${id}::uuid AND "enabled" AND "kind" = 'fias'
         AND ("leaseHolder" = ${holder} OR "leaseUntil" IS NULL OR "leaseUntil" < now())`;
    return taken === 1;
  };

  const release = async (id: string) => {
    const entry = running.get(id);
    running.delete(id);
    await entry?.link.stop();
    await db.pmsConnector
      .updateMany({ where: { id, leaseHolder: holder }, data: { leaseHolder: null, leaseUntil: null } })
      .catch(() => {});
  };

  const start = (connector: PmsConnector) => {
    const host = connector.fiasHost!;
    const port = connector.fiasPort!;
    const onRecord = fiasRecordHandler(db, connector.id, options);
    const report = (what: Promise<unknown>) => what.catch((error) => options.onError?.(error));
    log(`FIAS link of ${connector.id} to ${host}:${port}: opening`);
    const link = openFiasLink({
      host,
      port,
      keepAliveMs: options.keepAliveMs,
      silenceMs: options.silenceMs,
      backoffMs: options.backoffMs,
      onRecord: (record) => report(onRecord(record)) as Promise<void>,
      onState: (state, detail) => {
        if (stopped && state !== "disconnected") return;
        if (state === "connecting") return;
        log(`FIAS link of ${connector.id} to ${host}:${port}: ${state}${detail ? ` (${detail})` : ""}`);
        void report(setPmsLinkState(db, connector, state, detail));
      },
      onMalformed: (problem, raw) => {
        log(`FIAS link of ${connector.id}: malformed frame skipped: ${problem}`);
        void report(notePmsProblem(db, connector, "pms.record-skipped", `malformed FIAS frame: ${problem}`, { raw }));
      },
    });
    running.set(connector.id, { link, host, port });
  };

  const scan = async () => {
    const connectors = await db.pmsConnector.findMany({ where: { kind: "fias" } });
    const wanted = new Map(connectors.filter((c) => c.enabled && c.fiasHost && c.fiasPort).map((c) => [c.id, c]));
    for (const id of [...running.keys()]) {
      const connector = wanted.get(id);
      const entry = running.get(id)!;
      const changed = !connector || connector.fiasHost !== entry.host || connector.fiasPort !== entry.port;
      if (changed || !(await take(id))) {
        log(`FIAS link of ${id}: closing (${changed ? "settings changed" : "lease lost"})`);
        await release(id);
      }
    }
    for (const connector of wanted.values()) {
      if (stopped || running.has(connector.id)) continue;
      if (await take(connector.id)) start(connector);
    }
  };

  const round = () => {
    scanning = scanning.then(scan).catch((error) => options.onError?.(error));
  };
  round();
  const timer = setInterval(round, scanMs);

  return {
    holder,
    /** Ends every link (LE) and gives their leases back, so another worker can take them over at once. */
    async stop() {
      stopped = true;
      clearInterval(timer);
      await scanning;
      await Promise.all([...running.keys()].map(release));
    },
  };
}
