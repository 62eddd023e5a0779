"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
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
      New campaign
    </Link>
  ) : undefined;
  return (
    <>
      <PageHeader
        title="Firmware"
        description={`Rollouts of a firmware image to a model's devices in ${current.domain.name} and below, in waves, within maintenance windows. Times are in your time zone.`}
        actions={newCampaign}
      />
      <FirmwareTabs />
      <section aria-label="Filter the campaigns" className="mb-4 flex flex-wrap items-end gap-3">
        <SelectField
          label="State"
          value={state ?? ""}
          onChange={(event) =>
            router.replace(current.withDomain("/firmware", { state: event.target.value || undefined }), {
              scroll: false,
            })
          }
          options={[
            { value: "", label: "Any state" },
            { value: "running", label: "Running" },
            { value: "paused", label: "Paused" },
            { value: "completed", label: "Completed" },
            { value: "cancelled", label: "Cancelled" },
          ]}
        />
      </section>
      <ErrorNotice error={campaigns.error} />
      {campaigns.data?.total === 0 && !state ? (
        <EmptyState title="No firmware campaign yet" action={newCampaign}>
          Upload an image under Images, then start a campaign: pick the model, the waves and the maintenance window, and
          Beacon upgrades the devices and follows each one until it reports the new version.
        </EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="min-w-full text-left text-sm">
            <caption className="sr-only">Firmware campaigns</caption>
            <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-600">
              <tr>
                <th scope="col" className="px-3 py-2">
                  Campaign
                </th>
                <th scope="col" className="px-3 py-2">
                  State
                </th>
                <th scope="col" className="w-64 px-3 py-2">
                  Progress
                </th>
                <th scope="col" className="px-3 py-2">
                  Started
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
                      {campaign.counts.installed ?? 0} of {campaign.counts.devices} installed
                      {(campaign.counts.failed ?? 0) + (campaign.counts.notReturned ?? 0)
                        ? `, ${(campaign.counts.failed ?? 0) + (campaign.counts.notReturned ?? 0)} failed`
                        : ""}
                    </span>
                  </td>
                  <td className="whitespace-nowrap px-3 py-2">
                    <LocalTime value={campaign.createdAt} />
                    <span className="block text-xs text-slate-500">by {campaign.createdBy}</span>
                  </td>
                </tr>
              ))}
              {campaigns.data && campaigns.data.rows.length === 0 && (
                <tr>
                  <td colSpan={4} className="px-3 py-6 text-center text-slate-600">
                    No campaign is in that state.
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
          noun="campaigns"
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
