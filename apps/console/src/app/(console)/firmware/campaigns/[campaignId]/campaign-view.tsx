"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useCurrentDomain } from "@/components/domain/current-domain.tsx";
import {
  type CampaignDeviceState,
  CampaignStateBadge,
  DEVICE_STATES,
  DeviceStateCell,
  formatDuration,
  ProgressBar,
} from "@/components/firmware/campaign-words.tsx";
import { LocalTime } from "@/components/local-time.tsx";
import { PageHeader } from "@/components/page-header.tsx";
import { Button } from "@/components/ui/button.tsx";
import { ConfirmDialog } from "@/components/ui/confirm-dialog.tsx";
import { ErrorNotice } from "@/components/ui/error-notice.tsx";
import { SelectField } from "@/components/ui/field.tsx";
import { Pagination } from "@/components/ui/pagination.tsx";
import { useTRPC } from "@/trpc/client.tsx";
import type { RouterOutputs } from "@/trpc/types.ts";

type Campaign = RouterOutputs["firmware"]["campaign"];
type Counts = Campaign["progress"]["total"];
type Action = "pause" | "resume" | "cancel";
const PAGE_SIZE = 50;
const LIVE_MS = 2000;

export function CampaignView({ campaignId }: { campaignId: string }) {
  const t = useTranslations("firmware");
  const current = useCurrentDomain();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState<Action | null>(null);
  const [deviceState, setDeviceState] = useState<CampaignDeviceState | "">("");
  const [page, setPage] = useState(1);
  const live = (campaign: Campaign | undefined) =>
    !campaign ||
    campaign.state === "running" ||
    campaign.progress.total.downloading + campaign.progress.total.installing > 0;
  const campaign = useQuery(
    trpc.firmware.campaign.queryOptions(
      { campaignId },
      { refetchInterval: (query) => (live(query.state.data) ? LIVE_MS : false) },
    ),
  );
  const devices = useQuery(
    trpc.firmware.campaignDevices.queryOptions(
      { campaignId, state: deviceState || undefined, page, pageSize: PAGE_SIZE },
      { placeholderData: keepPreviousData, refetchInterval: live(campaign.data) ? LIVE_MS : false },
    ),
  );
  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.firmware.pathKey() });
  const done = {
    onSuccess: () => {
      setConfirming(null);
      refresh();
    },
  };
  const pause = useMutation(trpc.firmware.pause.mutationOptions(done));
  const resume = useMutation(trpc.firmware.resume.mutationOptions(done));
  const cancel = useMutation(trpc.firmware.cancel.mutationOptions(done));
  const mutations = { pause, resume, cancel };

  if (!campaign.data) {
    return (
      <>
        <PageHeader title={t("campaign.title")} />
        <ErrorNotice error={campaign.error} />
        {!campaign.error && <p className="text-sm text-slate-600">{t("campaign.loading")}</p>}
      </>
    );
  }
  const c = campaign.data;
  const { total } = c.progress;
  const canManage = current.can("firmware.manage");
  const ended = c.state === "completed" || c.state === "cancelled";

  return (
    <>
      <p className="mb-2 text-sm">
        <Link href={current.withDomain("/firmware")} className="text-sky-800 hover:underline">
          {t("campaign.back")}
        </Link>
      </p>
      <PageHeader
        title={c.name}
        description={t.rich("campaign.description", {
          productClass: c.productClass,
          domain: c.domain.name,
          version: c.targetVersion,
          file: c.file.name,
          user: c.createdBy,
          time: () => <LocalTime value={c.createdAt} />,
        })}
        actions={
          canManage && !ended ? (
            <>
              {c.state === "running" && <Button onClick={() => setConfirming("pause")}>{t("campaign.pause")}</Button>}
              {c.state === "paused" && (
                <Button tone="primary" onClick={() => setConfirming("resume")}>
                  {t("campaign.resume")}
                </Button>
              )}
              <Button tone="danger" onClick={() => setConfirming("cancel")}>
                {t("campaign.cancel")}
              </Button>
            </>
          ) : undefined
        }
      />
      <section aria-label={t("campaign.progress")} className="mb-6 rounded-lg border border-slate-200 bg-white p-4">
        <div className="mb-3 flex flex-wrap items-center gap-3">
          <CampaignStateBadge state={c.state} />
          <p role="status" className="text-sm text-slate-700">
            <CampaignSummary campaign={c} />
          </p>
        </div>
        {c.state === "paused" && c.pausedReason && (
          <p className="mb-3 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
            {t("campaign.pausedReason", { reason: c.pausedReason })}
          </p>
        )}
        <ProgressBar counts={total} label={t("campaign.allDevices")} />
        <CountList counts={total} />
        {c.progress.waves.length > 1 && (
          <table className="mt-4 min-w-full text-left text-sm">
            <caption className="sr-only">{t("campaign.waves")}</caption>
            <thead className="text-xs uppercase tracking-wide text-slate-600">
              <tr>
                <th scope="col" className="py-1 pr-3">
                  {t("campaign.wave")}
                </th>
                <th scope="col" className="py-1 pr-3">
                  {t("campaign.devices")}
                </th>
                <th scope="col" className="w-1/2 py-1 pr-3">
                  {t("campaign.progress")}
                </th>
                <th scope="col" className="py-1">
                  {t("campaign.failureRate")}
                </th>
              </tr>
            </thead>
            <tbody>
              {c.progress.waves.map((wave) => (
                <tr key={wave.wave} aria-current={wave.wave === c.currentWave && !ended ? "step" : undefined}>
                  <td className="py-1 pr-3">
                    {t(wave.wave === c.currentWave && !ended ? "campaign.waveCurrent" : "campaign.waveNumber", {
                      number: wave.wave + 1,
                      percent: wave.percent,
                    })}
                  </td>
                  <td className="py-1 pr-3">{wave.devices}</td>
                  <td className="py-1 pr-3">
                    <ProgressBar counts={wave} label={t("campaign.waveBar", { number: wave.wave + 1 })} />
                    <span className="text-xs text-slate-600">
                      {t("campaign.waveCounts", {
                        installed: wave.installed,
                        failed: wave.failed + wave.notReturned,
                      })}
                    </span>
                  </td>
                  <td className="py-1">{wave.failureRate === null ? "–" : `${Math.round(wave.failureRate * 100)}%`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {total.reasons.length > 0 && (
          <div className="mt-4">
            <h2 className="text-sm font-semibold text-slate-900">{t("campaign.whyFailed")}</h2>
            <ul className="mt-1 list-disc pl-5 text-sm text-slate-700">
              {total.reasons.map((r) => (
                <li key={r.reason}>{t("campaign.reasonLine", { reason: r.reason, count: r.devices })}</li>
              ))}
            </ul>
          </div>
        )}
      </section>

      <section aria-label={t("campaign.devices")}>
        <div className="mb-3 flex flex-wrap items-end justify-between gap-3">
          <h2 className="text-base font-semibold text-slate-900">{t("campaign.devices")}</h2>
          <SelectField
            label={t("campaign.show")}
            value={deviceState}
            onChange={(event) => {
              setDeviceState(event.target.value as CampaignDeviceState | "");
              setPage(1);
            }}
            options={[
              { value: "", label: t("campaign.allDevices") },
              ...DEVICE_STATES.map((s) => ({ value: s.state, label: t(`deviceStates.${s.state}`) })),
            ]}
          />
        </div>
        <ErrorNotice error={devices.error} />
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="min-w-full text-left text-sm">
            <caption className="sr-only">{t("campaign.devicesCaption")}</caption>
            <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-600">
              <tr>
                <th scope="col" className="px-3 py-2">
                  {t("campaign.device")}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t("campaign.wave")}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t("campaign.state")}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t("campaign.versionNow")}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t("campaign.lastChange")}
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {devices.data?.rows.map((row) => (
                <tr key={row.id} className="align-top">
                  <td className="px-3 py-2 font-mono">
                    <Link
                      href={current.withDomain(`/devices/${row.device.id}`)}
                      className="text-sky-800 hover:underline"
                    >
                      {row.device.serialNumber}
                    </Link>
                  </td>
                  <td className="px-3 py-2">{row.wave + 1}</td>
                  <td className="px-3 py-2">
                    <DeviceStateCell
                      state={row.state}
                      version={row.device.softwareVersion}
                      targetVersion={c.targetVersion}
                    />
                    {row.reason && <span className="block text-slate-600">{row.reason}</span>}
                  </td>
                  <td className="px-3 py-2 font-mono">{row.device.softwareVersion ?? t("campaign.unknownVersion")}</td>
                  <td className="whitespace-nowrap px-3 py-2">
                    <LocalTime value={row.finishedAt ?? row.downloadedAt ?? row.startedAt} />
                  </td>
                </tr>
              ))}
              {devices.data && devices.data.rows.length === 0 && (
                <tr>
                  <td colSpan={5} className="px-3 py-6 text-center text-slate-600">
                    {t("campaign.noDeviceInState")}
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
        {devices.data && devices.data.total > 0 && (
          <Pagination
            page={page}
            pageSize={PAGE_SIZE}
            total={devices.data.total}
            noun={t("campaign.pageNoun")}
            onPage={setPage}
          />
        )}
      </section>

      {confirming && (
        <ConfirmDialog
          title={t(`campaign.confirm.${confirming}Title`)}
          confirmLabel={t(`campaign.${confirming}`)}
          tone={confirming === "cancel" ? "danger" : "primary"}
          pending={mutations[confirming].isPending}
          onConfirm={() => mutations[confirming].mutate({ campaignId })}
          onClose={() => {
            setConfirming(null);
            mutations[confirming].reset();
          }}
        >
          <p>{t(`campaign.confirm.${confirming}Body`, { pending: total.pending })}</p>
          <ErrorNotice error={mutations[confirming].error} />
        </ConfirmDialog>
      )}
    </>
  );
}

function CampaignSummary({ campaign }: { campaign: Campaign }) {
  const t = useTranslations("firmware");
  const { total, estimatedSecondsLeft } = campaign.progress;
  const settled = total.installed + total.failed + total.notReturned + total.skipped;
  const counts = { installed: total.installed, devices: total.devices };
  if (campaign.state === "completed") return <>{t("campaign.summary.completed", counts)}</>;
  if (campaign.state === "cancelled") return <>{t("campaign.summary.cancelled", counts)}</>;
  if (campaign.state === "paused") return <>{t("campaign.summary.paused", counts)}</>;
  const inProgress = total.downloading + total.installing;
  return (
    <>
      {estimatedSecondsLeft !== null && estimatedSecondsLeft > 0
        ? t("campaign.summary.runningLeft", { ...counts, inProgress, duration: formatDuration(estimatedSecondsLeft) })
        : settled === 0
          ? t("campaign.summary.runningUnknown", { ...counts, inProgress })
          : t("campaign.summary.running", { ...counts, inProgress })}
    </>
  );
}

function CountList({ counts }: { counts: Counts }) {
  const t = useTranslations("firmware");
  return (
    <dl className="mt-3 flex flex-wrap gap-x-6 gap-y-2 text-sm">
      {DEVICE_STATES.filter((s) => s.state !== "cancelled" && s.state !== "skipped").map((s) => (
        <div key={s.state} className="flex items-center gap-1.5">
          <span aria-hidden className={`inline-block h-2.5 w-2.5 rounded-sm ${s.bar}`} />
          <dt className="text-slate-600">{t(`deviceStates.${s.state}`)}</dt>
          <dd className="font-semibold text-slate-900">{counts[s.state]}</dd>
        </div>
      ))}
    </dl>
  );
}
