"use client";

import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useTranslations } from "next-intl";
import { type FormEvent, useState } from "react";
import { useCurrentDomain } from "@/components/domain/current-domain.tsx";
import { EmptyState } from "@/components/empty-state.tsx";
import { LocalTime } from "@/components/local-time.tsx";
import { PageHeader } from "@/components/page-header.tsx";
import { Button } from "@/components/ui/button.tsx";
import { downloadText } from "@/components/ui/download.ts";
import { ErrorNotice } from "@/components/ui/error-notice.tsx";
import { SelectField } from "@/components/ui/field.tsx";
import { Pagination } from "@/components/ui/pagination.tsx";
import { useTRPC } from "@/trpc/client.tsx";
import type { RouterInputs, RouterOutputs } from "@/trpc/types.ts";
import { useAuditActivity } from "./audit-words.ts";

type AuditQuery = RouterInputs["audit"]["list"];
type AuditRow = RouterOutputs["audit"]["list"]["rows"][number];
const PAGE_SIZE = 50;

/** A yyyy-mm-dd from a date input as the start of that day in the viewer's zone. */
function localDay(value: string | null, plusDays = 0): Date | undefined {
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  const date = new Date(`${value}T00:00:00`);
  date.setDate(date.getDate() + plusDays);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

export function AuditView() {
  const t = useTranslations("audit");
  const activity = useAuditActivity();
  const current = useCurrentDomain();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const params = useSearchParams();
  const filters = {
    actor: params.get("actor") || undefined,
    action: params.get("action") || undefined,
    device: params.get("device") || undefined,
    from: params.get("from") || undefined,
    to: params.get("to") || undefined,
  };
  const page = Math.max(1, Number(params.get("page")) || 1);
  const query: AuditQuery = {
    tenantId: current.domain.id,
    actor: filters.actor,
    action: filters.action,
    deviceId: filters.device,
    from: localDay(filters.from ?? null),
    to: localDay(filters.to ?? null, 1),
    page,
    pageSize: PAGE_SIZE,
  };
  const canRead = current.can("audit.read");
  const events = useQuery(trpc.audit.list.queryOptions(query, { enabled: canRead, placeholderData: keepPreviousData }));
  const actions = useQuery(trpc.audit.actions.queryOptions({ tenantId: current.domain.id }, { enabled: canRead }));
  const [exportError, setExportError] = useState<unknown>(null);
  const [exporting, setExporting] = useState(false);
  const filtered = Object.values(filters).some(Boolean);

  const update = (changes: Record<string, string | undefined>) =>
    router.replace(current.withDomain("/audit", { ...filters, ...changes, page: undefined }), { scroll: false });

  const submitFilters = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? "").trim() || undefined;
    update({ actor: text("actor"), from: text("from"), to: text("to") });
  };

  const exportCsv = async () => {
    setExporting(true);
    setExportError(null);
    try {
      const file = await queryClient.fetchQuery(trpc.audit.exportCsv.queryOptions({ ...query, page: 1 }));
      downloadText(file.filename, file.csv);
    } catch (error) {
      setExportError(error);
    } finally {
      setExporting(false);
    }
  };

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
      <PageHeader
        title={t("title")}
        description={t("description", { domain: current.domain.name })}
        actions={
          <Button onClick={exportCsv} disabled={exporting || !events.data?.total}>
            {exporting ? t("exporting") : t("export")}
          </Button>
        }
      />
      <div className="mb-4">
        <ErrorNotice error={exportError} focus />
      </div>
      <form
        onSubmit={submitFilters}
        aria-label={t("filters")}
        className="mb-4 flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3"
      >
        <label className="block text-sm font-medium text-slate-700">
          {t("who")}
          <input
            key={filters.actor ?? ""}
            name="actor"
            defaultValue={filters.actor ?? ""}
            placeholder={t("whoPlaceholder")}
            className="mt-1 block w-52 rounded-md border border-slate-300 px-2.5 py-1.5 text-sm font-normal"
          />
        </label>
        <SelectField
          label={t("what")}
          value={filters.action ?? ""}
          onChange={(event) => update({ action: event.target.value || undefined })}
          options={[
            { value: "", label: t("anyAction") },
            ...(actions.data ?? []).map((action) => ({ value: action, label: activity(action) })),
          ]}
        />
        <label className="block text-sm font-medium text-slate-700">
          {t("from")}
          <input
            key={`from-${filters.from ?? ""}`}
            name="from"
            type="date"
            defaultValue={filters.from ?? ""}
            className="mt-1 block rounded-md border border-slate-300 px-2.5 py-1.5 text-sm font-normal"
          />
        </label>
        <label className="block text-sm font-medium text-slate-700">
          {t("to")}
          <input
            key={`to-${filters.to ?? ""}`}
            name="to"
            type="date"
            defaultValue={filters.to ?? ""}
            className="mt-1 block rounded-md border border-slate-300 px-2.5 py-1.5 text-sm font-normal"
          />
        </label>
        <Button type="submit">{t("apply")}</Button>
        {filtered && (
          <Button
            tone="quiet"
            onClick={() =>
              update({ actor: undefined, action: undefined, device: undefined, from: undefined, to: undefined })
            }
          >
            {t("clear")}
          </Button>
        )}
      </form>
      {filters.device && <p className="mb-3 text-sm text-slate-600">{t("oneDevice")}</p>}
      <ErrorNotice error={events.error} />
      {events.data?.total === 0 && !filtered ? (
        <EmptyState title={t("emptyTitle")}>{t("emptyBody")}</EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="min-w-full text-left text-sm">
            <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-600">
              <tr>
                <th scope="col" className="px-3 py-2">
                  {t("when")}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t("who")}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t("what")}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t("domain")}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t("device")}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t("change")}
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {events.data?.rows.map((row) => (
                <tr key={row.id} className="align-top">
                  <td className="whitespace-nowrap px-3 py-2">
                    <LocalTime value={row.createdAt} />
                  </td>
                  <td className="px-3 py-2">{row.actorLabel}</td>
                  <td className="px-3 py-2">
                    <span className="block">{activity(row.action, row)}</span>
                    <span className="font-mono text-xs text-slate-500">{row.action}</span>
                  </td>
                  <td className="px-3 py-2">{row.domain.path.join(" / ")}</td>
                  <td className="px-3 py-2 font-mono">
                    {row.device ? (
                      <Link
                        href={current.withDomain(`/devices/${row.device.id}`)}
                        className="text-sky-800 hover:underline"
                      >
                        {row.device.serialNumber}
                      </Link>
                    ) : (
                      "—"
                    )}
                  </td>
                  <td className="px-3 py-2">
                    <ChangeSummary row={row} />
                  </td>
                </tr>
              ))}
              {events.data && events.data.rows.length === 0 && (
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
      {events.data && events.data.total > 0 && (
        <Pagination
          page={page}
          pageSize={PAGE_SIZE}
          total={events.data.total}
          noun={(count) => t("records", { count })}
          onPage={(next) =>
            router.replace(current.withDomain("/audit", { ...filters, page: next > 1 ? String(next) : undefined }), {
              scroll: false,
            })
          }
        />
      )}
    </>
  );
}

type Json = AuditRow["before"];

function fields(value: Json): Record<string, Json> {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, Json>) : {};
}

function show(value: Json | undefined): string {
  if (value === undefined || value === null) return "—";
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** Before and after, key by key. */
function ChangeSummary({ row }: { row: AuditRow }) {
  const before = fields(row.before);
  const after = fields(row.after);
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  if (keys.length === 0) return <span className="text-slate-400">—</span>;
  return (
    <dl className="space-y-0.5 text-xs">
      {keys.map((key) => (
        <div key={key} className="flex flex-wrap gap-1">
          <dt className="text-slate-500">{key}:</dt>
          <dd className="break-all font-mono">
            {key in before && key in after && show(before[key]) !== show(after[key]) ? (
              <>
                <del className="text-red-800">{show(before[key])}</del> →{" "}
                <ins className="text-emerald-800 no-underline">{show(after[key])}</ins>
              </>
            ) : (
              show(key in after ? after[key] : before[key])
            )}
          </dd>
        </div>
      ))}
    </dl>
  );
}
