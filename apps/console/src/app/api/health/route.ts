import { databaseAnswers } from "@beacon/db";
import { consoleDb } from "@/server/db.ts";

export const dynamic = "force-dynamic";

/**
 * Liveness and database reachability for load balancers, the supervisor and the console's own outage page. It
 * asks the console's pool (no connection per call) and, since anyone may call it, says only ok or unavailable:
 * no server version, address or error.
 */
export async function GET(): Promise<Response> {
  const ok = await databaseAnswers(consoleDb());
  return Response.json(
    { status: ok ? "ok" : "unavailable" },
    { status: ok ? 200 : 503, headers: { "cache-control": "no-store" } },
  );
}
