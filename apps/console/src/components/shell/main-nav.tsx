"use client";

import type { Route } from "next";
import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import { useTranslations } from "next-intl";

type SectionKey =
  | "dashboard"
  | "devices"
  | "alarms"
  | "sites"
  | "templates"
  | "provisioning"
  | "firmware"
  | "domains"
  | "users"
  | "audit"
  | "api"
  | "status";

const SECTIONS: { href: Route; key: SectionKey }[] = [
  { href: "/", key: "dashboard" },
  { href: "/devices", key: "devices" },
  { href: "/alarms", key: "alarms" },
  { href: "/sites", key: "sites" },
  { href: "/templates", key: "templates" },
  { href: "/provisioning", key: "provisioning" },
  { href: "/firmware", key: "firmware" },
  { href: "/domains", key: "domains" },
  { href: "/users", key: "users" },
  { href: "/audit", key: "audit" },
  { href: "/settings/api", key: "api" },
];

function isCurrent(pathname: string, href: string): boolean {
  return href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`);
}

const STATUS_SECTION: { href: Route; key: SectionKey } = { href: "/status", key: "status" };

export function MainNav({ platformStaff = false }: { platformStaff?: boolean }) {
  const t = useTranslations("nav");
  const pathname = usePathname();
  const domain = useSearchParams().get("domain");
  const sections = platformStaff ? [...SECTIONS, STATUS_SECTION] : SECTIONS;
  return (
    <nav aria-label={t("mainLabel")}>
      <ul className="flex gap-1 overflow-x-auto md:flex-col">
        {sections.map((section) => {
          const current = isCurrent(pathname, section.href);
          return (
            <li key={section.href}>
              <Link
                href={domain ? { pathname: section.href, query: { domain } } : section.href}
                aria-current={current ? "page" : undefined}
                className={`block whitespace-nowrap rounded-md px-3 py-2 text-sm font-medium ${
                  current ? "bg-sky-100 text-sky-900" : "text-slate-700 hover:bg-slate-100"
                }`}
              >
                {t(`sections.${section.key}`)}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
