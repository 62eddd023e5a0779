import { createTenancy, type Tenancy } from "@beacon/domain";
import { consoleConfig } from "./config.ts";
import { consoleDb, consoleReplicaDb } from "./db.ts";

// One per process (like the pools), so that it remembers who has just written (reads after a write skip the replica).
const cache = globalThis as typeof globalThis & { beaconConsoleTenancy?: Tenancy };

/** The API's capability over the database, sending connection requests as the configuration allows. */
export function consoleTenancy(): Tenancy {
  cache.beaconConsoleTenancy ??= createTenancy(consoleDb(), {
    replica: consoleReplicaDb(),
    connectionRequests: {
      ...consoleConfig().connectionRequests,
      log: (entry) =>
        console.info(`[connection request] ${entry.outcome} device ${entry.deviceId}: ${entry.detail ?? ""}`),
    },
  });
  return cache.beaconConsoleTenancy;
}
