"use client";

import Link from "next/link";
import { useLocale, useTranslations } from "next-intl";
import { useCurrentDomain } from "@/components/domain/current-domain.tsx";
import type { RouterOutputs } from "@/trpc/types.ts";

export type SiteSummary = RouterOutputs["sites"]["summaries"][number];

/**
 * One card per customer site with its own counts. Each card is a real link to the site's rooms with the site in
 * its address (`/sites?domain=…`): it opens in a new tab, and opening it says which domain the console shows.
 */
export function SiteCards({ sites, label }: { sites: SiteSummary[]; label: string }) {
  const t = useTranslations("sites.card");
  const kinds = useTranslations("common.domainKinds");
  const count = useTranslations("common.count");
  const current = useCurrentDomain();
  return (
    <ul aria-label={label} className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
      {sites.map(({ site, devices, activeAlarms, pendingCheckouts }) => (
        <li key={site.id}>
          <Link
            href={current.withDomain("/sites", { domain: site.id })}
            aria-label={t("label", {
              site: site.name,
              online: devices.online,
              offline: devices.offline,
              alarms: activeAlarms,
              checkouts: pendingCheckouts,
            })}
            className="block h-full rounded-lg border border-slate-200 bg-white p-3 hover:border-sky-400 hover:bg-sky-50 focus:outline-none focus:ring-2 focus:ring-sky-600"
          >
            <span className="block font-medium text-sky-900">{site.name}</span>
            <span className="block text-xs text-slate-600">
              {kinds(site.kind)}
              {site.path.length > 1 && ` · ${site.path.slice(0, -1).join(" / ")}`} ·{" "}
              {count("devices", { count: devices.total })}
            </span>
            <span className="mt-2 grid grid-cols-4 gap-1 text-center text-xs" aria-hidden="true">
              <Count value={devices.online} label={t("online")} tone="text-emerald-800" />
              <Count
                value={devices.offline}
                label={t("offline")}
                tone={devices.offline ? "text-amber-800" : "text-slate-500"}
              />
              <Count
                value={activeAlarms}
                label={t("alarms", { count: activeAlarms })}
                tone={activeAlarms ? "text-red-700" : "text-slate-500"}
              />
              <Count
                value={pendingCheckouts}
                label={t("checkouts", { count: pendingCheckouts })}
                tone={pendingCheckouts ? "text-sky-800" : "text-slate-500"}
              />
            </span>
          </Link>
        </li>
      ))}
    </ul>
  );
}

function Count({ value, label, tone }: { value: number; label: string; tone: string }) {
  const locale = useLocale();
  return (
    <span className="rounded bg-slate-50 px-1 py-1">
      <span className={`block text-base font-semibold ${tone}`}>{value.toLocaleString(locale)}</span>
      <span className="block text-slate-600">{label}</span>
    </span>
  );
}
