import type { Db } from "@beacon/db";
import { createTestDatabase, type TestDatabase } from "@beacon/db/testing";
import type { FastifyInstance } from "fastify";
import { buildApp } from "../../src/app.ts";
import type { CwmpSettings } from "../../src/config.ts";

export interface RunningIngress {
  url: string;
  app: FastifyInstance;
}

export interface IngressFixture {
  database: TestDatabase;
  db: Db;
  start: (
    cwmp?: Partial<CwmpSettings>,
    options?: { clock?: () => Date; https?: { cert: Buffer; key: Buffer } },
  ) => Promise<RunningIngress>;
  close: () => Promise<void>;
}

/**
 * A throwaway database and any number of ingress instances on it, each listening on a free port. The network-map
 * reads a device's first session and boots queue are off unless a test asks for them (`readNetworkMaps: true`):
 * most tests here follow another protocol flow RPC by RPC; the network map's own tests turn them on. So are the
 * metric reads queued at each Inform (`collectMetrics: true` in the monitoring tests).
 */
export async function ingressFixture(): Promise<IngressFixture> {
  const database = await createTestDatabase();
  const apps: FastifyInstance[] = [];
  return {
    database,
    db: database.db,
    async start(cwmp = {}, options = {}) {
      const app = await buildApp({
        db: database.db,
        cwmp: { dataDir: "/tmp/beacon-test-data", readNetworkMaps: false, collectMetrics: false, ...cwmp },
        logger: process.env.INGRESS_TEST_LOG ? { level: process.env.INGRESS_TEST_LOG } : false,
        ...options,
      });
      await app.listen({ port: 0, host: "127.0.0.1" });
      apps.push(app);
      const address = app.server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      return { url: `${options.https ? "https" : "http"}://127.0.0.1:${port}`, app };
    },
    async close() {
      for (const app of apps) await app.close();
      await database.drop();
    },
  };
}
