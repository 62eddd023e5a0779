import type { Tenancy } from "@beacon/domain";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "./root.ts";

export interface ApiRequestOptions {
  /** Path the API is mounted on, e.g. "/api/trpc". */
  endpoint: string;
  tenancy: Tenancy;
  sessionUserId: string | null;
  /** Called with unexpected (500) errors, which the client only sees as a generic sentence. */
  onInternalError?: (error: unknown, path: string | undefined) => void;
}

/** Answers one HTTP request to the tRPC API; the app verifies the session, this does the rest. */
export function handleApiRequest(request: Request, options: ApiRequestOptions): Promise<Response> {
  return fetchRequestHandler({
    endpoint: options.endpoint,
    req: request,
    router: appRouter,
    createContext: () => ({ tenancy: options.tenancy, sessionUserId: options.sessionUserId }),
    onError: ({ error, path }) => {
      if (error.code === "INTERNAL_SERVER_ERROR") options.onInternalError?.(error.cause ?? error, path);
    },
  });
}
