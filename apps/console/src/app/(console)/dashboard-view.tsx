"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useLocale, useTranslations } from "next-intl";
import { useCurrentDomain } from "@/components/domain/current-domain.tsx";
import { EmptyState } from "@/components/empty-state.tsx";
import { LocalTime } from "@/components/local-time.tsx";
import { PageHeader } from "@/components/page-header.tsx";
import { SiteCards } from "@/components/sites/site-cards.tsx";
import { ErrorNotice } from "@/components/ui/error-notice.tsx";
import { useTRPC } from "@/trpc/client.tsx";
import { auditDetail, describeAuditAction } from "./audit/audit-words.ts";
import { DashboardMonitoring } from "./dashboard-monitoring.tsx";

/** Site cards on the dashboard; the sites page lists them all. */
const DASHBOARD_SITES = 12;

export function DashboardView() {
  const t = useTranslations("dashboard");
  const locale = useLocale();
  const current = useCurrentDomain();
  const trpc = useTRPC();
  const summary = useQuery({
    ...trpc.dashboard.summary.queryOptions({ tenantId: current.domain.id }),
    refetchInterval: 30_000,
  });
  const sites = useQuery({
    ...trpc.sites.summaries.queryOptions({ tenantId: current.domain.id }),
    refetchInterval: 30_000,
  });
  const header = <PageHeader title={t("title")} description={t("description", { domain: current.domain.name })} />;
  if (summary.error) {
    return (
      <>
        {header}
        <ErrorNotice error={summary.error} />
      </>
    );
  }
  if (!summary.data) {
    return (
      <>
        {header}
        <p className="text-sm text-slate-500">{t("loading")}</p>
      </>
    );
  }
  const { devices, firmwareByModel, recentActivity, recentContacts } = summary.data;
  const siteList = sites.data ?? [];
  const sitesSection = siteList.length > 0 && (
    <section aria-labelledby="sites-heading" className="mb-8">
      <div className="mb-3 flex flex-wrap items-baseline justify-between gap-3">
        <h2 id="sites-heading" className="text-base font-semibold">
          {t("sites", { count: siteList.length })}
        </h2>
        {siteList.length > DASHBOARD_SITES && (
          <Link href={current.withDomain("/sites")} className="text-sm text-sky-800 hover:underline">
            {t("allSites", { count: siteList.length })}
          </Link>
        )}
      </div>
      <SiteCards sites={siteList.slice(0, DASHBOARD_SITES)} label={t("sites", { count: siteList.length })} />
    </section>
  );
  const cards = [
    { label: t("cards.devices"), value: devices.total, status: undefined, tone: "text-slate-900" },
    { label: t("cards.online"), value: devices.online, status: "online", tone: "text-emerald-800" },
    { label: t("cards.offline"), value: devices.offline, status: "offline", tone: "text-amber-800" },
    { label: t("cards.never"), value: devices.never, status: "never", tone: "text-slate-700" },
  ] as const;
  return (
    <>
      {header}
      <ErrorNotice error={sites.error} />
      {sitesSection}
      {devices.total === 0 ? (
        <EmptyState title={t("emptyTitle")}>{t("emptyBody")}</EmptyState>
      ) : (
        <div className="space-y-8">
          <section aria-labelledby="status-heading">
            <h2 id="status-heading" className="sr-only">
              {t("statusHeading")}
            </h2>
            <ul className="grid grid-cols-2 gap-3 lg:grid-cols-4">
              {cards.map((card) => (
                <li key={card.label}>
                  <Link
                    href={current.withDomain("/devices", { status: card.status })}
                    className="block rounded-lg border border-slate-200 bg-white p-4 hover:border-sky-300"
                  >
                    <span className="block text-sm text-slate-600">{card.label}</span>
                    <span className={`mt-1 block text-2xl font-semibold ${card.tone}`}>
                      {card.value.toLocaleString(locale)}
                    </span>
                  </Link>
                </li>
              ))}
            </ul>
            <p className="mt-2 text-xs text-slate-500">{t("onlineHint")}</p>
          </section>

          <DashboardMonitoring tenantId={current.domain.id} />

          <section aria-labelledby="firmware-heading">
            <h2 id="firmware-heading" className="mb-3 text-base font-semibold">
              {t("firmwareHeading")}
            </h2>
            <div className="grid gap-3 md:grid-cols-2">
              {firmwareByModel.map((model) => (
                <div key={model.model} className="rounded-lg border border-slate-200 bg-white p-4">
                  <h3 className="text-sm font-semibold text-slate-900">
                    {model.model}{" "}
                    <span className="font-normal text-slate-500">· {t("modelDevices", { count: model.total })}</span>
                  </h3>
                  <ul className="mt-2 space-y-1.5">
                    {model.versions.map((version) => (
                      <li key={version.version} className="text-sm">
                        <div className="flex justify-between gap-2">
                          <span className="font-mono">{version.version}</span>
                          <span className="text-slate-600">{version.count.toLocaleString(locale)}</span>
                        </div>
                        <div className="mt-0.5 h-1.5 rounded bg-slate-100" aria-hidden="true">
                          <div
                            className="h-1.5 rounded bg-sky-600"
                            style={{ width: `${Math.max(2, (version.count / model.total) * 100)}%` }}
                          />
                        </div>
                      </li>
                    ))}
                  </ul>
                </div>
              ))}
            </div>
          </section>

          <div className="grid gap-6 lg:grid-cols-2">
            <section aria-labelledby="activity-heading">
              <h2 id="activity-heading" className="mb-3 text-base font-semibold">
                {t("activityHeading")}
              </h2>
              {recentActivity === null ? (
                <p className="text-sm text-slate-600">{t("noAuditRole")}</p>
              ) : recentActivity.length === 0 ? (
                <p className="rounded-lg border border-dashed border-slate-300 bg-white px-4 py-6 text-sm text-slate-600">
                  {t("noActivity")}
                </p>
              ) : (
                <ol className="space-y-2 rounded-lg border border-slate-200 bg-white p-4 text-sm">
                  {recentActivity.map((row) => (
                    <li key={row.id}>
                      <span className="text-slate-900">{describeAuditAction(row.action)}</span>
                      {row.device ? (
                        <span className="font-mono"> {row.device.serialNumber}</span>
                      ) : (
                        auditDetail(row) && <span className="text-slate-700">: {auditDetail(row)}</span>
                      )}
                      <span className="block text-xs text-slate-500">
                        {row.actorLabel} · <LocalTime value={row.createdAt} relative /> · {row.domain.name}
                      </span>
                    </li>
                  ))}
                </ol>
              )}
            </section>
            <section aria-labelledby="events-heading">
              <h2 id="events-heading" className="mb-3 text-base font-semibold">
                {t("contactsHeading")}
              </h2>
              {recentContacts.length === 0 ? (
                <p className="rounded-lg border border-dashed border-slate-300 bg-white px-4 py-6 text-sm text-slate-600">
                  {t("noContacts")}
                </p>
              ) : (
                <ol className="space-y-2 rounded-lg border border-slate-200 bg-white p-4 text-sm">
                  {recentContacts.map((contact) => (
                    <li key={contact.key} className="flex flex-wrap justify-between gap-2">
                      <Link
                        href={current.withDomain(`/devices/${contact.device.id}`)}
                        className="font-mono text-sky-800 hover:underline"
                      >
                        {contact.device.serialNumber}
                      </Link>
                      <span className="font-mono text-xs text-slate-600">{contact.codes.join(", ")}</span>
                      <span className="text-xs text-slate-500">
                        <LocalTime value={contact.at} relative />
                      </span>
                    </li>
                  ))}
                </ol>
              )}
            </section>
          </div>
        </div>
      )}
    </>
  );
}
