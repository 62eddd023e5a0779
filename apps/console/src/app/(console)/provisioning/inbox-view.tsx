"use client";

import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useCurrentDomain } from "@/components/domain/current-domain.tsx";
import { EmptyState } from "@/components/empty-state.tsx";
import { LocalTime } from "@/components/local-time.tsx";
import { PageHeader } from "@/components/page-header.tsx";
import { ClaimDialog } from "@/components/provisioning/claim-dialog.tsx";
import { EnrollmentPanel, ReenrollRequests } from "@/components/provisioning/enrollment-panel.tsx";
import { ProvisioningTabs } from "@/components/provisioning/provisioning-tabs.tsx";
import { Button } from "@/components/ui/button.tsx";
import { ErrorNotice, Notice } from "@/components/ui/error-notice.tsx";
import { useTRPC } from "@/trpc/client.tsx";

const PAGE = 50;

export function InboxView({ acsUrl }: { acsUrl: string }) {
  const t = useTranslations("provisioning");
  const current = useCurrentDomain();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [limit, setLimit] = useState(PAGE);
  const devices = useQuery(
    trpc.provisioning.unassigned.queryOptions(
      { tenantId: current.domain.id, limit },
      { placeholderData: keepPreviousData, refetchInterval: 15_000 },
    ),
  );
  const [claiming, setClaiming] = useState<{ id: string; serialNumber: string } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const canClaim = current.can("provisioning.manage");
  const rows = devices.data ?? [];

  return (
    <>
      <PageHeader title={t("title")} description={t("inbox.description", { domain: current.domain.name })} />
      <ProvisioningTabs />
      <div className="mb-4">{notice && <Notice>{notice}</Notice>}</div>
      <ReenrollRequests />
      {canClaim && <EnrollmentPanel acsUrl={acsUrl} />}
      <ErrorNotice error={devices.error} />
      {devices.isPending && <p className="text-sm text-slate-500">{t("inbox.loading")}</p>}
      {devices.data && rows.length === 0 && (
        <EmptyState title={t("inbox.emptyTitle")}>{t("inbox.emptyBody")}</EmptyState>
      )}
      {rows.length > 0 && (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="min-w-full text-left text-sm">
            <caption className="sr-only">{t("inbox.caption")}</caption>
            <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-600">
              <tr>
                <th scope="col" className="px-3 py-2">
                  {t("inbox.serial")}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t("inbox.model")}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t("inbox.mac")}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t("inbox.domain")}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t("inbox.firstContact")}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t("inbox.lastContact")}
                </th>
                <th scope="col" className="px-3 py-2">
                  <span className="sr-only">{t("inbox.actions")}</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((d) => (
                <tr key={d.id}>
                  <td className="px-3 py-2 font-mono">
                    <Link href={current.withDomain(`/devices/${d.id}`)} className="text-sky-800 hover:underline">
                      {d.serialNumber}
                    </Link>
                  </td>
                  <td className="px-3 py-2">
                    {[d.manufacturer, d.modelName ?? d.productClass].filter(Boolean).join(" ")}
                  </td>
                  <td className="px-3 py-2 font-mono">{d.macAddress ?? "—"}</td>
                  <td className="px-3 py-2">{d.tenant.name}</td>
                  <td className="px-3 py-2">
                    <LocalTime value={d.firstInformAt} />
                  </td>
                  <td className="px-3 py-2">
                    <LocalTime value={d.lastInformAt} relative />
                  </td>
                  <td className="px-3 py-2 text-right">
                    {canClaim && (
                      <Button
                        size="sm"
                        onClick={() => setClaiming(d)}
                        aria-label={t("inbox.claimLabel", { serial: d.serialNumber })}
                      >
                        {t("inbox.claim")}
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {rows.length >= limit && (
        <div className="mt-3">
          <Button size="sm" onClick={() => setLimit((l) => l + PAGE)} disabled={devices.isFetching}>
            {t("inbox.more")}
          </Button>
        </div>
      )}
      {claiming && (
        <ClaimDialog
          device={claiming}
          onClose={() => setClaiming(null)}
          onClaimed={(message) => {
            setClaiming(null);
            setNotice(message);
            void queryClient.invalidateQueries({ queryKey: trpc.provisioning.pathKey() });
            void queryClient.invalidateQueries({ queryKey: trpc.sites.pathKey() });
          }}
        />
      )}
    </>
  );
}
