"use client";

import type { Route } from "next";
import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";

const SECTIONS: { href: Route; label: string }[] = [
  { href: "/", label: "Dashboard" },
  { href: "/devices", label: "Devices" },
  { href: "/alarms", label: "Alarms" },
  { href: "/sites", label: "Sites" },
  { href: "/templates", label: "Templates" },
  { href: "/provisioning", label: "Provisioning" },
  { href: "/firmware", label: "Firmware" },
  { href: "/domains", label: "Domains" },
  { href: "/users", label: "Users" },
  { href: "/audit", label: "Audit log" },
  { href: "/settings/api", label: "API & webhooks" },
];

function isCurrent(pathname: string, href: string): boolean {
  return href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`);
}

const STATUS_SECTION: { href: Route; label: string } = { href: "/status", label: "System status" };

export function MainNav({ platformStaff = false }: { platformStaff?: boolean }) {
  const pathname = usePathname();
  const domain = useSearchParams().get("domain");
  const sections = platformStaff ? [...SECTIONS, STATUS_SECTION] : SECTIONS;
  return (
    <nav aria-label="Main">
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
                {section.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
