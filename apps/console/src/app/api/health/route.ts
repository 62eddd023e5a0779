import { checkDatabase } from "@beacon/db";
import { consoleConfig } from "@/server/config.ts";

export const dynamic = "force-dynamic";

/** Liveness and database reachability for load balancers and `beacon doctor`; reveals nothing about tenants. */
export async function GET(): Promise<Response> {
  const database = await checkDatabase(consoleConfig().databaseUrl);
  return Response.json(
    { status: database.ok ? "ok" : "unavailable", database },
    { status: database.ok ? 200 : 503, headers: { "cache-control": "no-store" } },
  );
}
