import { connect, type Socket } from "node:net";
import { encodeFiasRecord, FiasFrameReader, type FiasRecord, fiasDateTime } from "./fias-records.ts";

/**
 * Beacon's end of a FIAS link: the interface connects to the PMS's host and port; the PMS opens with Link Start
 * (LS); the interface answers LS, describes itself (LD), declares the records and fields it wants (LR) and says Link
 * Alive (LA); the PMS's LA makes the link alive. Both ends send LA while idle, and a link that stays silent past
 * `silenceMs` counts as dropped. Link End (LE), a dropped connection or a refused one is followed by a new attempt
 * after a growing delay. Malformed frames are reported and skipped; the link goes on.
 */

export type FiasLinkState = "connecting" | "connected" | "disconnected" | "error";

export interface FiasLinkOptions {
  host: string;
  port: number;
  /** LA while idle; FIAS installations commonly use a minute or less. */
  keepAliveMs?: number;
  /** Nothing received for this long: the link is dropped and opened again. Defaults to three keep-alives. */
  silenceMs?: number;
  /** First and longest delay before a new connection attempt. */
  backoffMs?: { min: number; max: number };
  connectTimeoutMs?: number;
  /** Each guest or database record (not the link's own LS/LD/LR/LA/LE), one at a time, in the order received. */
  onRecord: (record: FiasRecord) => Promise<void>;
  onState?: (state: FiasLinkState, detail?: string) => void;
  onMalformed?: (problem: string, raw: string) => void;
  now?: () => Date;
}

export interface FiasLink {
  /** Ends the link (LE when it is up) and stops reconnecting. */
  stop(): Promise<void>;
  /** Sends a record when the link is alive (e.g. DR to ask for a database resync); false otherwise. */
  send(type: string, fields?: readonly (readonly [string, string])[]): boolean;
}

/** Interface family "WW" and the records Beacon reads, with the fields it uses (FIAS LR: RI record id, FL fields). */
const LINK_DESCRIPTION = { family: "WW", version: "1.0" };
const WANTED_RECORDS: readonly (readonly [string, string])[] = [
  ["GI", "RNG#GSGNSF"],
  ["GC", "RNG#GSROSF"],
  ["GO", "RNG#GSSF"],
  ["DS", "DATI"],
  ["DE", "DATI"],
];
const LINK_RECORDS = new Set(["LS", "LD", "LR", "LA", "LE"]);

export function openFiasLink(options: FiasLinkOptions): FiasLink {
  const keepAliveMs = options.keepAliveMs ?? 30_000;
  const silenceMs = options.silenceMs ?? keepAliveMs * 3;
  const backoff = options.backoffMs ?? { min: 1000, max: 60_000 };
  const now = options.now ?? (() => new Date());
  let stopped = false;
  let socket: Socket | null = null;
  let alive = false;
  let delay = backoff.min;
  let retry: NodeJS.Timeout | undefined;
  let keepAlive: NodeJS.Timeout | undefined;
  let lastReceived = 0;
  let lastSent = 0;
  // Records are handled one after the other, so that a room move (GC) is done before the check-out (GO) after it.
  let queue: Promise<void> = Promise.resolve();
  let closed: Promise<void> = Promise.resolve();

  const write = (type: string, fields: readonly (readonly [string, string])[] = []) => {
    if (!socket || socket.destroyed) return false;
    socket.write(encodeFiasRecord(type, fields));
    lastSent = Date.now();
    return true;
  };

  const introduce = () => {
    const stamp = fiasDateTime(now());
    write("LS", stamp);
    write("LD", [...stamp, ["V#", LINK_DESCRIPTION.version], ["IF", LINK_DESCRIPTION.family]]);
    for (const [record, fields] of WANTED_RECORDS) {
      write("LR", [
        ["RI", record],
        ["FL", fields],
      ]);
    }
    write("LA", fiasDateTime(now()));
  };

  const scheduleReconnect = () => {
    if (stopped || retry) return;
    const wait = delay;
    delay = Math.min(delay * 2, backoff.max);
    retry = setTimeout(() => {
      retry = undefined;
      open();
    }, wait);
  };

  const open = () => {
    if (stopped) return;
    options.onState?.("connecting");
    alive = false;
    const reader = new FiasFrameReader();
    const current = connect({ host: options.host, port: options.port });
    socket = current;
    let resolveClosed: () => void = () => {};
    closed = new Promise((resolve) => {
      resolveClosed = resolve;
    });
    let failure: string | null = null;
    current.setNoDelay(true);
    current.setTimeout(options.connectTimeoutMs ?? 10_000, () => {
      failure ??= `no answer from ${options.host}:${options.port}`;
      current.destroy();
    });
    current.on("connect", () => {
      current.setTimeout(0);
      lastReceived = Date.now();
      keepAlive = setInterval(
        () => {
          if (Date.now() - lastReceived > silenceMs) {
            failure = `the PMS sent nothing for ${Math.round(silenceMs / 1000)} s`;
            current.destroy();
            return;
          }
          if (alive && Date.now() - lastSent >= keepAliveMs) write("LA", fiasDateTime(now()));
        },
        Math.max(50, Math.min(keepAliveMs, silenceMs) / 4),
      );
    });
    current.on("data", (chunk: Buffer) => {
      lastReceived = Date.now();
      for (const frame of reader.push(chunk)) {
        if ("problem" in frame) {
          options.onMalformed?.(frame.problem, frame.raw);
          continue;
        }
        const { record } = frame;
        if (record.type === "LS") {
          // The PMS starts (or restarts) the link: describe ourselves again.
          alive = false;
          introduce();
        } else if (record.type === "LA") {
          if (!alive) {
            alive = true;
            delay = backoff.min;
            options.onState?.("connected");
          } else if (Date.now() - lastSent >= keepAliveMs / 2) write("LA", fiasDateTime(now()));
        } else if (record.type === "LE") {
          failure = null;
          current.end();
        } else if (!LINK_RECORDS.has(record.type)) {
          queue = queue.then(() => options.onRecord(record)).catch(() => undefined);
        }
      }
    });
    current.on("error", (error) => {
      failure ??= error.message;
    });
    current.on("close", () => {
      clearInterval(keepAlive);
      keepAlive = undefined;
      const wasAlive = alive;
      alive = false;
      if (socket === current) socket = null;
      resolveClosed();
      if (stopped) return;
      if (failure) options.onState?.("error", failure);
      else options.onState?.("disconnected", wasAlive ? "the PMS ended the link" : undefined);
      scheduleReconnect();
    });
  };

  open();

  return {
    async stop() {
      stopped = true;
      clearTimeout(retry);
      const current = socket;
      if (current && !current.destroyed) {
        if (alive) write("LE", fiasDateTime(now()));
        current.end();
        const timer = setTimeout(() => current.destroy(), 1000);
        await closed;
        clearTimeout(timer);
      }
      await queue;
      options.onState?.("disconnected");
    },
    send(type, fields = []) {
      return alive && write(type, fields);
    },
  };
}
