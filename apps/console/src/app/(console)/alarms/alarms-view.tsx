"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
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
import { describeAlarmType, SeverityBadge } from "./alarm-words.tsx";

type AlarmQuery = RouterInputs["alarms"]["list"];
type AlarmRow = RouterOutputs["alarms"]["list"]["rows"][number];
const PAGE_SIZE = 50;
const STATES = ["open", "acknowledged", "cleared"] as const;
const SEVERITIES = ["critical", "major", "minor", "warning"] as const;

function oneOf<T extends string>(values: readonly T[], value: string | null): T | undefined {
  return values.find((v) => v === value);
}

export function AlarmsView() {
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
        <PageHeader title="Alarms" />
        <EmptyState title="Your role here does not include devices">Ask an owner of {current.domain.name}.</EmptyState>
      </>
    );
  }

  return (
    <>
      <PageHeader
        title="Alarms"
        description={`Conditions of devices in ${current.domain.name} and below it that someone should look at, most severe first. Times are in your time zone.`}
      />
      <section
        aria-label="Filter the alarms"
        className="mb-4 flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3"
      >
        <SelectField
          label="State"
          value={filters.state ?? ""}
          onChange={(event) => update({ state: event.target.value || undefined })}
          options={[
            { value: "", label: "Open and acknowledged" },
            { value: "open", label: "Open" },
            { value: "acknowledged", label: "Acknowledged" },
            { value: "cleared", label: "Cleared" },
          ]}
        />
        <SelectField
          label="Severity"
          value={filters.severity ?? ""}
          onChange={(event) => update({ severity: event.target.value || undefined })}
          options={[
            { value: "", label: "Any severity" },
            { value: "critical", label: "Critical" },
            { value: "major", label: "Major" },
            { value: "minor", label: "Minor" },
            { value: "warning", label: "Warning" },
          ]}
        />
        {filtered && (
          <Button tone="quiet" onClick={() => update({ state: undefined, severity: undefined, device: undefined })}>
            Clear filters
          </Button>
        )}
      </section>
      {filters.device && <p className="mb-3 text-sm text-slate-600">Showing the alarms of one device only.</p>}
      <ErrorNotice error={alarms.error} />
      {alarms.data?.total === 0 && !filtered ? (
        <EmptyState title="No alarms">
          Nothing needs looking at: no device has a low or overloaded optical level, lost signal, gone silent or
          rebooted repeatedly.
        </EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="min-w-full text-left text-sm">
            <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-600">
              <tr>
                <th scope="col" className="px-3 py-2">
                  Severity
                </th>
                <th scope="col" className="px-3 py-2">
                  Device
                </th>
                <th scope="col" className="px-3 py-2">
                  Condition
                </th>
                <th scope="col" className="px-3 py-2">
                  Raised
                </th>
                <th scope="col" className="px-3 py-2">
                  State
                </th>
                <th scope="col" className="px-3 py-2">
                  <span className="sr-only">Actions</span>
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
                        Acknowledge
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
              {alarms.data && alarms.data.rows.length === 0 && (
                <tr>
                  <td colSpan={6} className="px-3 py-6 text-center text-slate-600">
                    No alarm matches these filters.
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
          noun="alarms"
          onPage={(next) =>
            router.replace(current.withDomain("/alarms", { ...filters, page: next > 1 ? String(next) : undefined }), {
              scroll: false,
            })
          }
        />
      )}
      {confirming && (
        <ConfirmDialog
          title="Acknowledge this alarm?"
          confirmLabel="Acknowledge"
          pending={acknowledge.isPending}
          onConfirm={() => acknowledge.mutate({ alarmId: confirming.id })}
          onClose={() => {
            setConfirming(null);
            acknowledge.reset();
          }}
        >
          <p>
            {describeAlarmType(confirming.type)} on {confirming.device.serialNumber}: {confirming.message}. It stays
            active until its condition clears; the acknowledgement records that you are on it.
          </p>
          <ErrorNotice error={acknowledge.error} />
        </ConfirmDialog>
      )}
    </>
  );
}

function AlarmState({ row }: { row: AlarmRow }) {
  if (row.state === "cleared") {
    return <span className="text-slate-600">Cleared {row.clearedAt ? <LocalTime value={row.clearedAt} /> : null}</span>;
  }
  if (row.acknowledgedAt) {
    return (
      <span className="text-slate-700">
        Acknowledged by {row.acknowledgedBy ?? "someone"} <LocalTime value={row.acknowledgedAt} />
      </span>
    );
  }
  return <span className="font-medium text-red-800">Open</span>;
}
