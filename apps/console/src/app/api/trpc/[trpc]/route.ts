import { handleApiRequest } from "@beacon/api";
import { createTenancy } from "@beacon/domain";
import { sessionUserId } from "@/server/auth.ts";
import { consoleDb } from "@/server/db.ts";

async function handler(request: Request): Promise<Response> {
  return handleApiRequest(request, {
    endpoint: "/api/trpc",
    tenancy: createTenancy(consoleDb()),
    sessionUserId: await sessionUserId(),
    onInternalError: (error, path) => console.error(`[api] ${path ?? "?"} failed`, error),
  });
}

export { handler as GET, handler as POST };
