import { handleApiRequest } from "@beacon/api";
import { sessionUserId } from "@/server/auth.ts";
import { consoleTenancy } from "@/server/tenancy.ts";

async function handler(request: Request): Promise<Response> {
  return handleApiRequest(request, {
    endpoint: "/api/trpc",
    tenancy: consoleTenancy(),
    sessionUserId: await sessionUserId(),
    onInternalError: (error, path) => console.error(`[api] ${path ?? "?"} failed`, error),
  });
}

export { handler as GET, handler as POST };
