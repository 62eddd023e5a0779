"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useTranslations } from "next-intl";
import { useCurrentDomainIfReady } from "./current-domain.tsx";
import { DomainSwitcher } from "./domain-switcher.tsx";

/** The header's domain controls: switcher, breadcrumb of the current domain, and the user's role there. */
export function DomainBar() {
  const t = useTranslations();
  const current = useCurrentDomainIfReady();
  const pathname = usePathname();
  if (!current) return null;
  const { domain } = current;
  const listPath = pathname.startsWith("/devices/") ? "/devices" : pathname;
  return (
    <div className="flex flex-wrap items-center gap-3">
      <DomainSwitcher current={current} />
      <nav aria-label={t("nav.domain.breadcrumb")} className="min-w-0 text-sm">
        <ol className="flex flex-wrap items-center gap-1 text-slate-600">
          {domain.pathIds.map((id, index) => {
            const last = index === domain.pathIds.length - 1;
            return (
              <li key={id} className="flex items-center gap-1">
                {index > 0 && <span aria-hidden="true">/</span>}
                {last ? (
                  <span aria-current="page" className="font-medium text-slate-900">
                    {domain.path[index]}
                  </span>
                ) : (
                  <Link href={current.withDomain(listPath, { domain: id })} className="hover:underline">
                    {domain.path[index]}
                  </Link>
                )}
              </li>
            );
          })}
        </ol>
      </nav>
      {domain.role && (
        <span className="rounded-full bg-slate-100 px-2 py-0.5 text-xs text-slate-700">
          {t("nav.domain.yourRole", { role: t(`common.roles.${domain.role}`) })}
        </span>
      )}
    </div>
  );
}
