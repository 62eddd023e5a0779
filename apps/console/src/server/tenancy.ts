import { createTenancy, type Tenancy } from "@beacon/domain";
import { consoleConfig } from "./config.ts";
import { consoleDb } from "./db.ts";

/** The API's capability over the database, sending connection requests as the configuration allows. */
export function consoleTenancy(): Tenancy {
  return createTenancy(consoleDb(), {
    connectionRequests: {
      ...consoleConfig().connectionRequests,
      log: (entry) =>
        console.info(`[connection request] ${entry.outcome} device ${entry.deviceId}: ${entry.detail ?? ""}`),
    },
  });
}
