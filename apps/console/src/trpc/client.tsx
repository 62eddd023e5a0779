"use client";

import type { AppRouter } from "@beacon/api";
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import { signOut } from "next-auth/react";
import { type ReactNode, useState } from "react";
import superjson from "superjson";
import { DATABASE_UNAVAILABLE_EVENT } from "@/components/outage/database-outage.tsx";

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

/**
 * An ended session (expired, or the account was disabled) sends the user back to sign in, once. The session cookie
 * is dropped first: the sign-in page would otherwise take it as a live session and send the user straight back.
 */
function signInAgainOnUnauthorized() {
  let leaving = false;
  return (error: unknown) => {
    if (leaving || !(error instanceof TRPCClientError) || error.data?.code !== "UNAUTHORIZED") return;
    leaving = true;
    const here = `${window.location.pathname}${window.location.search}`;
    void signOut({ redirect: false }).finally(() =>
      window.location.assign(`/signin?callbackUrl=${encodeURIComponent(here)}`),
    );
  };
}

/** A call the server answered SERVICE_UNAVAILABLE (the database is away) puts up the outage page. */
function announceDatabaseOutage(error: unknown) {
  if (error instanceof TRPCClientError && error.data?.code === "SERVICE_UNAVAILABLE") {
    window.dispatchEvent(new Event(DATABASE_UNAVAILABLE_EVENT));
  }
}

function makeQueryClient() {
  const signInAgain = signInAgainOnUnauthorized();
  const onError = (error: unknown) => {
    signInAgain(error);
    announceDatabaseOutage(error);
  };
  return new QueryClient({
    queryCache: new QueryCache({ onError }),
    mutationCache: new MutationCache({ onError }),
    defaultOptions: {
      queries: {
        staleTime: 15_000,
        retry: (failures, error) => {
          if (error instanceof TRPCClientError && typeof error.data?.httpStatus === "number") {
            return error.data.httpStatus >= 500 && failures < 2;
          }
          return failures < 2;
        },
      },
    },
  });
}

export function ApiProvider({ children }: { children: ReactNode }) {
  const [queryClient] = useState(makeQueryClient);
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({
      links: [httpBatchLink({ url: "/api/trpc", transformer: superjson })],
    }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
