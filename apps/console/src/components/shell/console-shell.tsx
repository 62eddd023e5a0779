import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { type ReactNode, Suspense } from "react";
import { CurrentDomainProvider, DomainGate } from "@/components/domain/current-domain.tsx";
import { DomainBar } from "@/components/domain/domain-bar.tsx";
import { DatabaseOutageGuard } from "@/components/outage/database-outage.tsx";
import { QuickSearch } from "@/components/search/quick-search.tsx";
import { AccountMenu } from "./account-menu.tsx";
import { MainNav } from "./main-nav.tsx";

export async function ConsoleShell({
  user,
  platformStaff = false,
  children,
}: {
  user: { email: string; name: string };
  /** Holds a role on the platform itself: sees Beacon's own status page. */
  platformStaff?: boolean;
  children: ReactNode;
}) {
  const t = await getTranslations("nav");
  return (
    <div className="flex min-h-screen flex-col md:flex-row">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2"
      >
        {t("skipToContent")}
      </a>
      <aside className="border-b border-slate-200 bg-white md:w-56 md:shrink-0 md:border-b-0 md:border-r">
        <div className="flex items-center justify-between px-4 py-4">
          <Link href="/" className="text-lg font-semibold tracking-tight text-slate-900">
            Beacon
          </Link>
        </div>
        <div className="px-2 pb-3">
          <Suspense>
            <MainNav platformStaff={platformStaff} />
          </Suspense>
        </div>
      </aside>
      <Suspense>
        <CurrentDomainProvider>
          <div className="flex min-w-0 flex-1 flex-col">
            <header className="flex flex-wrap items-center justify-between gap-3 border-b border-slate-200 bg-white px-6 py-3">
              <div className="min-w-0 flex-1">
                <DomainBar />
              </div>
              <div className="flex items-center gap-3">
                <QuickSearch />
                <AccountMenu user={user} />
              </div>
            </header>
            <main id="main" className="flex-1 px-6 py-6">
              <DatabaseOutageGuard>
                <DomainGate>{children}</DomainGate>
              </DatabaseOutageGuard>
            </main>
          </div>
        </CurrentDomainProvider>
      </Suspense>
    </div>
  );
}
