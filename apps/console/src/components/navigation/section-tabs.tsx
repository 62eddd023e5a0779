"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useCurrentDomain } from "@/components/domain/current-domain.tsx";

export interface SectionTab {
  href: string;
  label: string;
}

/** The tab bar of a console section: links that keep the current domain, the current page marked. */
export function SectionTabs({ label, tabs }: { label: string; tabs: readonly SectionTab[] }) {
  const current = useCurrentDomain();
  const pathname = usePathname();
  return (
    <nav aria-label={label} className="mb-6 border-b border-slate-200">
      <ul className="flex flex-wrap gap-4 text-sm">
        {tabs.map((tab) => {
          const active = pathname === tab.href;
          return (
            <li key={tab.href}>
              <Link
                href={current.withDomain(tab.href)}
                aria-current={active ? "page" : undefined}
                className={`-mb-px inline-block border-b-2 px-1 pb-2 font-medium ${
                  active ? "border-sky-700 text-sky-900" : "border-transparent text-slate-600 hover:text-slate-900"
                }`}
              >
                {tab.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
