"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useCurrentDomain } from "@/components/domain/current-domain.tsx";
import { EmptyState } from "@/components/empty-state.tsx";
import { LocalTime } from "@/components/local-time.tsx";
import { PageHeader } from "@/components/page-header.tsx";
import { Button } from "@/components/ui/button.tsx";
import { ConfirmDialog } from "@/components/ui/confirm-dialog.tsx";
import { ErrorNotice } from "@/components/ui/error-notice.tsx";
import { SelectField } from "@/components/ui/field.tsx";
import { Pagination } from "@/components/ui/pagination.tsx";
import { useTRPC } from "@/trpc/client.tsx";
import type { RouterInputs, RouterOutputs } from "@/trpc/types.ts";
import { SeverityBadge, useAlarmType } from "./alarm-words.tsx";

type AlarmQuery = RouterInputs["alarms"]["list"];
type AlarmRow = RouterOutputs["alarms"]["list"]["rows"][number];
const PAGE_SIZE = 50;
const STATES = ["open", "acknowledged", "cleared"] as const;
const SEVERITIES = ["critical", "major", "minor", "warning"] as const;

function oneOf<T extends string>(values: readonly T[], value: string | null): T | undefined {
  return values.find((v) => v === value);
}

export function AlarmsView() {
  const t = useTranslations("alarms");
  const describeAlarmType = useAlarmType();
  const current = useCurrentDomain();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const params = useSearchParams();
  const filters = {
    state: oneOf(STATES, params.get("state")),
    severity: oneOf(SEVERITIES, params.get("severity")),
    device: params.get("device") || undefined,
  };
  const page = Math.max(1, Number(params.get("page")) || 1);
  const query: AlarmQuery = {
    tenantId: current.domain.id,
    state: filters.state,
    severity: filters.severity,
    deviceId: filters.device,
    page,
    pageSize: PAGE_SIZE,
  };
  const canRead = current.can("device.read");
  const canAcknowledge = current.can("alarm.acknowledge");
  const alarms = useQuery(
    trpc.alarms.list.queryOptions(query, { enabled: canRead, placeholderData: keepPreviousData }),
  );
  const [confirming, setConfirming] = useState<AlarmRow | null>(null);
  const acknowledge = useMutation(
    trpc.alarms.acknowledge.mutationOptions({
      onSuccess: () => {
        setConfirming(null);
        void queryClient.invalidateQueries({ queryKey: trpc.alarms.pathKey() });
      },
    }),
  );
  const filtered = Object.values(filters).some(Boolean);

  const update = (changes: Record<string, string | undefined>) =>
    router.replace(current.withDomain("/alarms", { ...filters, ...changes, page: undefined }), { scroll: false });

  if (!canRead) {
    return (
      <>
        <PageHeader title={t("title")} />
        <EmptyState title={t("noRoleTitle")}>{t("noRoleBody", { domain: current.domain.name })}</EmptyState>
      </>
    );
  }

  return (
    <>
      <PageHeader title={t("title")} description={t("description", { domain: current.domain.name })} />
      <section
        aria-label={t("filters")}
        className="mb-4 flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3"
      >
        <SelectField
          label={t("state")}
          value={filters.state ?? ""}
          onChange={(event) => update({ state: event.target.value || undefined })}
          options={[
            { value: "", label: t("openAndAcknowledged") },
            { value: "open", label: t("open") },
            { value: "acknowledged", label: t("acknowledged") },
            { value: "cleared", label: t("cleared") },
          ]}
        />
        <SelectField
          label={t("severity")}
          value={filters.severity ?? ""}
          onChange={(event) => update({ severity: event.target.value || undefined })}
          options={[
            { value: "", label: t("anySeverity") },
            ...SEVERITIES.map((severity) => ({ value: severity, label: t(`severities.${severity}`) })),
          ]}
        />
        {filtered && (
          <Button tone="quiet" onClick={() => update({ state: undefined, severity: undefined, device: undefined })}>
            {t("clear")}
          </Button>
        )}
      </section>
      {filters.device && <p className="mb-3 text-sm text-slate-600">{t("oneDevice")}</p>}
      <ErrorNotice error={alarms.error} />
      {alarms.data?.total === 0 && !filtered ? (
        <EmptyState title={t("emptyTitle")}>{t("emptyBody")}</EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="min-w-full text-left text-sm">
            <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-600">
              <tr>
                <th scope="col" className="px-3 py-2">
                  {t("severity")}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t("device")}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t("condition")}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t("raised")}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t("state")}
                </th>
                <th scope="col" className="px-3 py-2">
                  <span className="sr-only">{t("actions")}</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {alarms.data?.rows.map((row) => (
                <tr key={row.id} className="align-top">
                  <td className="px-3 py-2">
                    <SeverityBadge severity={row.severity} />
                  </td>
                  <td className="px-3 py-2 font-mono">
                    <Link
                      href={current.withDomain(`/devices/${row.deviceId}`)}
                      className="text-sky-800 hover:underline"
                    >
                      {row.device.serialNumber}
                    </Link>
                    <span className="block font-sans text-xs text-slate-500">{row.device.productClass}</span>
                  </td>
                  <td className="px-3 py-2">
                    <span className="block font-medium">{describeAlarmType(row.type)}</span>
                    <span className="text-slate-600">{row.message}</span>
                  </td>
                  <td className="whitespace-nowrap px-3 py-2">
                    <LocalTime value={row.raisedAt} />
                  </td>
                  <td className="px-3 py-2">
                    <AlarmState row={row} />
                  </td>
                  <td className="px-3 py-2 text-right">
                    {canAcknowledge && row.state === "active" && !row.acknowledgedAt && (
                      <Button size="sm" onClick={() => setConfirming(row)}>
                        {t("acknowledge")}
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
              {alarms.data && alarms.data.rows.length === 0 && (
                <tr>
                  <td colSpan={6} className="px-3 py-6 text-center text-slate-600">
                    {t("noMatch")}
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}
      {alarms.data && alarms.data.total > 0 && (
        <Pagination
          page={page}
          pageSize={PAGE_SIZE}
          total={alarms.data.total}
          noun={(count) => t("count", { count })}
          onPage={(next) =>
            router.replace(current.withDomain("/alarms", { ...filters, page: next > 1 ? String(next) : undefined }), {
              scroll: false,
            })
          }
        />
      )}
      {confirming && (
        <ConfirmDialog
          title={t("confirmTitle")}
          confirmLabel={t("acknowledge")}
          pending={acknowledge.isPending}
          onConfirm={() => acknowledge.mutate({ alarmId: confirming.id })}
          onClose={() => {
            setConfirming(null);
            acknowledge.reset();
          }}
        >
          <p>
            {t("confirmBody", {
              type: describeAlarmType(confirming.type),
              serial: confirming.device.serialNumber,
              message: confirming.message,
            })}
          </p>
          <ErrorNotice error={acknowledge.error} />
        </ConfirmDialog>
      )}
    </>
  );
}

function AlarmState({ row }: { row: AlarmRow }) {
  const t = useTranslations("alarms");
  if (row.state === "cleared") {
    return (
      <span className="text-slate-600">
        {t.rich("clearedAt", { time: () => (row.clearedAt ? <LocalTime value={row.clearedAt} /> : null) })}
      </span>
    );
  }
  if (row.acknowledgedAt) {
    return (
      <span className="text-slate-700">
        {t.rich("acknowledgedBy", {
          name: row.acknowledgedBy ?? t("someone"),
          time: () => <LocalTime value={row.acknowledgedAt} />,
        })}
      </span>
    );
  }
  return <span className="font-medium text-red-800">{t("open")}</span>;
}
