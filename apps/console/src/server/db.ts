import { createDb, type Db } from "@beacon/db";
import { consoleConfig } from "./config.ts";

// Kept on globalThis: Next may load this module once per route bundle, and the console wants one pool per process.
const cache = globalThis as typeof globalThis & { beaconConsoleDb?: Db };

/** The console process's one Prisma client, created on first use. */
export function consoleDb(): Db {
  cache.beaconConsoleDb ??= createDb(consoleConfig().databaseUrl, { applicationName: "beacon-console" });
  return cache.beaconConsoleDb;
}
