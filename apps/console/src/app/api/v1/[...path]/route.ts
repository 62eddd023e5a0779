import { handleRestRequest } from "@beacon/api";
import { createApiTokenAuthority } from "@beacon/domain";
import { consoleDb } from "@/server/db.ts";
import { consoleTenancy } from "@/server/tenancy.ts";

export const dynamic = "force-dynamic";

/** The REST API for integrators (packages/api/src/rest); /api/v1/openapi.json documents it. */
async function handler(request: Request): Promise<Response> {
  const db = consoleDb();
  return handleRestRequest(request, {
    basePath: "/api/v1",
    tenancy: consoleTenancy(),
    tokens: createApiTokenAuthority(db),
    onInternalError: (error, operation) => console.error(`[rest] ${operation ?? "?"} failed`, error),
  });
}

export { handler as DELETE, handler as GET, handler as PATCH, handler as POST, handler as PUT };
