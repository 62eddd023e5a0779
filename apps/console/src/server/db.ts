import { createDb, type Db } from "@beacon/db";
import { consoleConfig } from "./config.ts";

// Kept on globalThis: Next may load this module once per route bundle, and the console wants one pool per process.
const cache = globalThis as typeof globalThis & { beaconConsoleDb?: Db; beaconConsoleReplicaDb?: Db };

/** The console process's one Prisma client, created on first use. */
export function consoleDb(): Db {
  cache.beaconConsoleDb ??= createDb(consoleConfig().databaseUrl, { applicationName: "beacon-console" });
  return cache.beaconConsoleDb;
}

/** A client of the read replica (DATABASE_REPLICA_URL), when one is configured; reads that may lag go there. */
export function consoleReplicaDb(): Db | undefined {
  const url = consoleConfig().replicaUrl;
  if (!url) return undefined;
  cache.beaconConsoleReplicaDb ??= createDb(url, { applicationName: "beacon-console-replica" });
  return cache.beaconConsoleReplicaDb;
}
