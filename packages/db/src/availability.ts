import type { Db } from "./client.ts";

/**
 * Whether an error means "the database cannot serve right now" (down, restarting, in crash recovery, unreachable,
 * out of connections, out of disk) rather than a fault of the request or a bug. Callers answer the first kind with
 * 503 and Retry-After, and never show its text to a CPE or an anonymous caller.
 *
 * Errors arrive from several layers: Prisma (P1001 and friends), the pg adapter (a DriverAdapterError whose cause
 * has a `kind`), pg itself (SQLSTATE codes, or plain errors such as "Connection terminated unexpectedly") and the
 * socket (ECONNREFUSED). The chain of causes is walked until one of them decides.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  return classify(error) !== null;
}

/** The database answers but cannot write: disk full, read-only file system, I/O error (SQLSTATE 53100, 25006, 58030). */
export function isDatabaseWriteFailure(error: unknown): boolean {
  return classify(error) === "cannot-write";
}

type Unavailability = "unavailable" | "cannot-write";

const PRISMA_UNAVAILABLE = new Set(["P1001", "P1002", "P1008", "P1017", "P2024", "P2037"]);
const ADAPTER_KINDS = new Set([
  "DatabaseNotReachable",
  "ConnectionClosed",
  "SocketTimeout",
  "TooManyConnections",
  "TransactionAlreadyClosed",
]);
const SOCKET_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
]);
const WRITE_SQLSTATES = new Set(["53100", "25006", "58030"]);
const UNAVAILABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended unexpectedly|the database system is (starting up|shutting down|in recovery mode|not yet accepting connections)|terminating connection due to|Can't reach database server|Server has closed the connection|No space left on device|Read-only file system/i;

function classify(error: unknown, depth = 0): Unavailability | null {
  if (depth > 6 || typeof error !== "object" || error === null) return null;
  const e = error as {
    code?: unknown;
    name?: unknown;
    kind?: unknown;
    message?: unknown;
    cause?: unknown;
    meta?: { driverAdapterError?: unknown };
    originalCode?: unknown;
  };
  for (const code of [e.code, e.originalCode]) {
    if (typeof code !== "string") continue;
    if (WRITE_SQLSTATES.has(code)) return "cannot-write";
    if (PRISMA_UNAVAILABLE.has(code) || SOCKET_CODES.has(code)) return "unavailable";
    // SQLSTATE class 08 (connection exception), 57P01-57P03 (shutdown, crash, starting up), 53 (out of resources).
    if (/^08[0-9A-Z]{3}$/.test(code) || /^57P0[1-3]$/.test(code) || /^53[0-9A-Z]{3}$/.test(code)) return "unavailable";
  }
  if (e.name === "PrismaClientInitializationError") return "unavailable";
  if (typeof e.kind === "string" && ADAPTER_KINDS.has(e.kind)) return "unavailable";
  if (e.kind === "postgres" && typeof e.code === "string" && WRITE_SQLSTATES.has(e.code)) return "cannot-write";
  if (typeof e.message === "string" && UNAVAILABLE_MESSAGES.test(e.message)) {
    return /No space left|Read-only file system/i.test(e.message) ? "cannot-write" : "unavailable";
  }
  return classify(e.meta?.driverAdapterError, depth + 1) ?? classify(e.cause, depth + 1);
}

/**
 * One `SELECT 1` through the process's own pool (no new connection per call), bounded by `timeoutMs`: what health
 * endpoints ask. A broken pooled connection is discarded by pg, so the next call after an outage connects afresh.
 */
export async function databaseAnswers(db: Db, timeoutMs = 2_000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([db.$queryRaw`SELECT 1`.then(() => true), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
