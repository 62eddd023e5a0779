import { checkDatabase } from "@beacon/db";
import type { FastifyInstance } from "fastify";

/** Liveness plus database reachability, for load balancers and `beacon doctor`. */
export function healthRoutes(app: FastifyInstance, options: { databaseUrl: string }): void {
  app.get("/healthz", async (_request, reply) => {
    const database = await checkDatabase(options.databaseUrl);
    return reply.code(database.ok ? 200 : 503).send({ status: database.ok ? "ok" : "degraded", database });
  });
}
