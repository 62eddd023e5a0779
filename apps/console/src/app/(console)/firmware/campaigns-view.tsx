"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useTranslations } from "next-intl";
import { useCurrentDomain } from "@/components/domain/current-domain.tsx";
import { EmptyState } from "@/components/empty-state.tsx";
import { CampaignStateBadge, ProgressBar } from "@/components/firmware/campaign-words.tsx";
import { FirmwareTabs } from "@/components/firmware/firmware-tabs.tsx";
import { LocalTime } from "@/components/local-time.tsx";
import { PageHeader } from "@/components/page-header.tsx";
import { buttonClasses } from "@/components/ui/button.tsx";
import { ErrorNotice } from "@/components/ui/error-notice.tsx";
import { SelectField } from "@/components/ui/field.tsx";
import { Pagination } from "@/components/ui/pagination.tsx";
import { useTRPC } from "@/trpc/client.tsx";

const PAGE_SIZE = 25;
const STATES = ["running", "paused", "completed", "cancelled"] as const;

export function CampaignsView() {
  const t = useTranslations("firmware");
  const current = useCurrentDomain();
  const trpc = useTRPC();
  const router = useRouter();
  const params = useSearchParams();
  const page = Math.max(1, Number(params.get("page")) || 1);
  const state = STATES.find((s) => s === params.get("state"));
  const canRead = current.can("device.read");
  const campaigns = useQuery(
    trpc.firmware.campaigns.queryOptions(
      { tenantId: current.domain.id, state, page, pageSize: PAGE_SIZE },
      {
        enabled: canRead,
        placeholderData: keepPreviousData,
        // Running campaigns move on their own: keep the counts fresh.
        refetchInterval: (query) => (query.state.data?.rows.some((c) => c.state === "running") ? 5000 : false),
      },
    ),
  );
  const newCampaign = current.can("firmware.manage") ? (
    <Link href={current.withDomain("/firmware/campaigns/new")} className={buttonClasses("primary")}>
      {t("list.newCampaign")}
    </Link>
  ) : undefined;
  return (
    <>
      <PageHeader
        title={t("list.title")}
        description={t("list.description", { domain: current.domain.name })}
        actions={newCampaign}
      />
      <FirmwareTabs />
      <section aria-label={t("list.filter")} className="mb-4 flex flex-wrap items-end gap-3">
        <SelectField
          label={t("list.state")}
          value={state ?? ""}
          onChange={(event) =>
            router.replace(current.withDomain("/firmware", { state: event.target.value || undefined }), {
              scroll: false,
            })
          }
          options={[
            { value: "", label: t("list.anyState") },
            ...STATES.map((s) => ({ value: s, label: t(`campaignStates.${s}`) })),
          ]}
        />
      </section>
      <ErrorNotice error={campaigns.error} />
      {campaigns.data?.total === 0 && !state ? (
        <EmptyState title={t("list.emptyTitle")} action={newCampaign}>
          {t("list.emptyBody")}
        </EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="min-w-full text-left text-sm">
            <caption className="sr-only">{t("list.caption")}</caption>
            <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-600">
              <tr>
                <th scope="col" className="px-3 py-2">
                  {t("list.campaign")}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t("list.state")}
                </th>
                <th scope="col" className="w-64 px-3 py-2">
                  {t("list.progress")}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t("list.started")}
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {campaigns.data?.rows.map((campaign) => (
                <tr key={campaign.id} className="align-top">
                  <td className="px-3 py-2">
                    <Link
                      href={current.withDomain(`/firmware/campaigns/${campaign.id}`)}
                      className="font-medium text-sky-800 hover:underline"
                    >
                      {campaign.name}
                    </Link>
                    <span className="block text-xs text-slate-500">
                      {campaign.productClass} → {campaign.targetVersion} ({campaign.file.name})
                    </span>
                  </td>
                  <td className="px-3 py-2">
                    <CampaignStateBadge state={campaign.state} />
                  </td>
                  <td className="px-3 py-2">
                    <ProgressBar counts={campaign.counts} label={campaign.name} />
                    <span className="mt-1 block text-xs text-slate-600">
                      {t(
                        (campaign.counts.failed ?? 0) + (campaign.counts.notReturned ?? 0)
                          ? "list.progressFailed"
                          : "list.progressLine",
                        {
                          installed: campaign.counts.installed ?? 0,
                          devices: campaign.counts.devices,
                          failed: (campaign.counts.failed ?? 0) + (campaign.counts.notReturned ?? 0),
                        },
                      )}
                    </span>
                  </td>
                  <td className="whitespace-nowrap px-3 py-2">
                    <LocalTime value={campaign.createdAt} />
                    <span className="block text-xs text-slate-500">{t("list.by", { user: campaign.createdBy })}</span>
                  </td>
                </tr>
              ))}
              {campaigns.data && campaigns.data.rows.length === 0 && (
                <tr>
                  <td colSpan={4} className="px-3 py-6 text-center text-slate-600">
                    {t("list.noneInState")}
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}
      {campaigns.data && campaigns.data.total > 0 && (
        <Pagination
          page={page}
          pageSize={PAGE_SIZE}
          total={campaigns.data.total}
          noun={t("list.pageNoun")}
          onPage={(next) =>
            router.replace(current.withDomain("/firmware", { state, page: next > 1 ? String(next) : undefined }), {
              scroll: false,
            })
          }
        />
      )}
    </>
  );
}
