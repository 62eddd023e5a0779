"use client";

import type { Permission } from "@beacon/domain";
import { useQuery } from "@tanstack/react-query";
import type { Route } from "next";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useTranslations } from "next-intl";
import { createContext, type ReactNode, useCallback, useContext, useMemo } from "react";
import { EmptyState } from "@/components/empty-state.tsx";
import { ErrorNotice } from "@/components/ui/error-notice.tsx";
import { useTRPC } from "@/trpc/client.tsx";
import type { RouterOutputs } from "@/trpc/types.ts";

type Me = RouterOutputs["session"]["me"];
type DomainDetail = RouterOutputs["domains"]["get"];

export interface CurrentDomain {
  me: Me;
  /** The domain the console is looking at: `?domain=` or the user's top domain. */
  domain: DomainDetail;
  can: (permission: Permission) => boolean;
  /** A console path that keeps the current domain, e.g. withDomain("/devices", { page: "2" }). */
  withDomain: (pathname: string, query?: Record<string, string | undefined>) => Route;
  switchTo: (domainId: string) => void;
}

type DomainState =
  | { status: "loading" }
  | { status: "no-role" }
  | { status: "error"; error: unknown; homePath: Route }
  | { status: "ready"; value: CurrentDomain };

const Context = createContext<DomainState>({ status: "loading" });

/** The current domain; only inside a DomainGate, which renders nothing else until it is known. */
export function useCurrentDomain(): CurrentDomain {
  const state = useContext(Context);
  if (state.status !== "ready") throw new Error("useCurrentDomain is only available inside a DomainGate");
  return state.value;
}

/** The current domain when known, for chrome (the header) that renders before it is. */
export function useCurrentDomainIfReady(): CurrentDomain | null {
  const state = useContext(Context);
  return state.status === "ready" ? state.value : null;
}

export function consolePath(pathname: string, query: Record<string, string | undefined> = {}): Route {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value) search.set(key, value);
  const text = search.toString();
  // Console paths are built from the route folders; typedRoutes cannot follow a computed string.
  return (text ? `${pathname}?${text}` : pathname) as Route;
}

export function CurrentDomainProvider({ children }: { children: ReactNode }) {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const requested = useSearchParams().get("domain");
  const me = useQuery(trpc.session.me.queryOptions());
  const homeId = me.data?.memberships[0]?.domain.id;
  const domainId = requested ?? homeId;
  const domain = useQuery(trpc.domains.get.queryOptions({ id: domainId ?? "" }, { enabled: Boolean(domainId) }));

  const withDomain = useCallback(
    (path: string, query: Record<string, string | undefined> = {}) =>
      consolePath(path, { domain: domain.data?.id ?? domainId, ...query }),
    [domain.data?.id, domainId],
  );
  const switchTo = useCallback(
    (id: string) => {
      // Lists and filters belong to the domain being left; a device page moves to the list.
      const target = pathname.startsWith("/devices/") ? "/devices" : pathname;
      router.push(consolePath(target, { domain: id }));
    },
    [pathname, router],
  );
  const state = useMemo<DomainState>(() => {
    if (me.error) return { status: "error", error: me.error, homePath: "/" };
    if (me.data && !homeId) return { status: "no-role" };
    if (domain.error) {
      return {
        status: "error",
        error: domain.error,
        homePath: consolePath(pathname.startsWith("/devices/") ? "/devices" : pathname),
      };
    }
    if (!me.data || !domain.data) return { status: "loading" };
    const permissions = new Set(domain.data.permissions);
    return {
      status: "ready",
      value: { me: me.data, domain: domain.data, can: (p) => permissions.has(p), withDomain, switchTo },
    };
  }, [me.data, me.error, homeId, domain.data, domain.error, pathname, withDomain, switchTo]);
  return <Context.Provider value={state}>{children}</Context.Provider>;
}

/** Renders its children once the current domain is known, and says what is wrong otherwise. */
export function DomainGate({ children }: { children: ReactNode }) {
  const t = useTranslations();
  const state = useContext(Context);
  switch (state.status) {
    case "loading":
      return <p className="text-sm text-slate-500">{t("common.state.loading")}</p>;
    case "no-role":
      return <EmptyState title={t("nav.domain.noRoleTitle")}>{t("nav.domain.noRoleBody")}</EmptyState>;
    case "error":
      return (
        <div className="space-y-3">
          <ErrorNotice error={state.error} />
          <p className="text-sm">
            <Link className="text-sky-800 underline" href={state.homePath}>
              {t("nav.domain.goHome")}
            </Link>
          </p>
        </div>
      );
    case "ready":
      return children;
  }
}
