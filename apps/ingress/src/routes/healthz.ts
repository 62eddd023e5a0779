import { type Db, databaseAnswers } from "@beacon/db";
import type { FastifyInstance } from "fastify";

/**
 * Liveness plus database reachability, for load balancers and the supervisor of `beacon start`. It asks the
 * process's own pool (no connection per call) and says only ok or unavailable: anyone may call it, so it names
 * no server, version, address or error.
 */
export function healthRoutes(app: FastifyInstance, options: { db: Db }): void {
  app.get("/healthz", async (_request, reply) => {
    const ok = await databaseAnswers(options.db);
    return reply
      .code(ok ? 200 : 503)
      .header("cache-control", "no-store")
      .send({ status: ok ? "ok" : "unavailable" });
  });
}
