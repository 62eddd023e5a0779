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
import { ErrorNotice, Notice } from "@/components/ui/error-notice.tsx";
import { SelectField } from "@/components/ui/field.tsx";
import { Pagination } from "@/components/ui/pagination.tsx";
import { StatusBadge } from "@/components/ui/status-badge.tsx";
import { useTRPC } from "@/trpc/client.tsx";
import type { RouterInputs, RouterOutputs } from "@/trpc/types.ts";
import { MoveDevicesDialog } from "./move-devices-dialog.tsx";

type DeviceQuery = RouterInputs["devices"]["list"];
type DeviceHome = RouterOutputs["devices"]["list"]["rows"][number]["home"];
type Sort = NonNullable<DeviceQuery["sort"]>;
type Status = NonNullable<DeviceQuery["status"]>;

const SORTS: Sort[] = ["serialNumber", "modelName", "softwareVersion", "lastInformAt", "externalIp", "domain"];
const STATUSES: Status[] = ["online", "offline", "never"];
const PAGE_SIZE = 25;

function pick<T extends string>(value: string | null, allowed: readonly T[]): T | undefined {
  return allowed.find((candidate) => candidate === value);
}

export function DevicesView() {
  const t = useTranslations("devices");
  const status = useTranslations("common.deviceStatus");
  const tc = useTranslations("common");
  const current = useCurrentDomain();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const params = useSearchParams();
  const query: DeviceQuery = {
    tenantId: current.domain.id,
    search: params.get("q") || undefined,
    model: params.get("model") || undefined,
    firmware: params.get("firmware") || undefined,
    status: pick(params.get("status"), STATUSES),
    sort: pick(params.get("sort"), SORTS) ?? "lastInformAt",
    direction: params.get("dir") === "asc" ? "asc" : "desc",
    page: Math.max(1, Number(params.get("page")) || 1),
    pageSize: PAGE_SIZE,
  };
  const devices = useQuery(trpc.devices.list.queryOptions(query, { placeholderData: keepPreviousData }));
  const facets = useQuery(trpc.devices.facets.queryOptions({ tenantId: current.domain.id }));
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [moving, setMoving] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [exportError, setExportError] = useState<unknown>(null);
  const [exporting, setExporting] = useState(false);

  const update = (changes: Record<string, string | undefined>, keepPage = false) => {
    const next: Record<string, string | undefined> = {
      q: query.search,
      model: query.model,
      firmware: query.firmware,
      status: query.status,
      sort: query.sort === "lastInformAt" ? undefined : query.sort,
      dir: query.direction === "desc" ? undefined : query.direction,
      page: keepPage ? String(query.page) : undefined,
      ...changes,
    };
    setSelected(new Set());
    router.replace(current.withDomain("/devices", next), { scroll: false });
  };

  const filtered = Boolean(query.search || query.model || query.firmware || query.status);
  const rows = devices.data?.rows ?? [];
  const allOnPage = rows.length > 0 && rows.every((row) => selected.has(row.id));

  const toggleSort = (sort: Sort) => {
    const direction =
      query.sort === sort ? (query.direction === "asc" ? "desc" : "asc") : sort === "lastInformAt" ? "desc" : "asc";
    update({ sort: sort === "lastInformAt" ? undefined : sort, dir: direction === "desc" ? undefined : "asc" });
  };

  const exportCsv = async () => {
    setExporting(true);
    setExportError(null);
    try {
      const { page: _page, pageSize: _size, ...filters } = query;
      const file = await queryClient.fetchQuery(trpc.devices.exportCsv.queryOptions({ ...filters, page: 1 }));
      downloadText(file.filename, file.csv);
    } catch (error) {
      setExportError(error);
    } finally {
      setExporting(false);
    }
  };

  const search = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const value = String(new FormData(event.currentTarget).get("q") ?? "").trim();
    update({ q: value || undefined });
  };

  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("description", { domain: current.domain.name })}
        actions={
          <Button onClick={exportCsv} disabled={exporting || !devices.data?.total}>
            {exporting ? t("exporting") : t("export")}
          </Button>
        }
      />
      <div className="mb-4 space-y-3">
        <ErrorNotice error={exportError} focus />
        {notice && <Notice>{notice}</Notice>}
      </div>
      <div className="mb-4 flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3">
        <search>
          <form aria-label={t("searchForm")} onSubmit={search} className="flex items-end gap-2">
            <label className="block text-sm font-medium text-slate-700">
              {t("searchLabel")}
              <input
                key={query.search ?? ""}
                name="q"
                type="search"
                defaultValue={query.search ?? ""}
                placeholder={t("searchPlaceholder")}
                className="mt-1 block w-72 rounded-md border border-slate-300 px-2.5 py-1.5 text-sm font-normal shadow-sm focus:border-sky-600 focus:outline-none focus:ring-1 focus:ring-sky-600"
              />
            </label>
            <Button type="submit">{t("searchButton")}</Button>
          </form>
        </search>
        <SelectField
          label={t("model")}
          value={query.model ?? ""}
          onChange={(event) => update({ model: event.target.value || undefined })}
          options={[
            { value: "", label: t("allModels") },
            ...(facets.data?.models ?? []).map((m) => ({ value: m, label: m })),
          ]}
        />
        <SelectField
          label={t("firmware")}
          value={query.firmware ?? ""}
          onChange={(event) => update({ firmware: event.target.value || undefined })}
          options={[
            { value: "", label: t("allFirmware") },
            ...(facets.data?.firmware ?? []).map((f) => ({ value: f, label: f })),
          ]}
        />
        <SelectField
          label={t("status")}
          value={query.status ?? ""}
          onChange={(event) => update({ status: event.target.value || undefined })}
          options={[
            { value: "", label: t("anyStatus") },
            ...STATUSES.map((value) => ({ value, label: status(value) })),
          ]}
        />
        {filtered && (
          <Button
            tone="quiet"
            onClick={() => update({ q: undefined, model: undefined, firmware: undefined, status: undefined })}
          >
            {t("clearFilters")}
          </Button>
        )}
      </div>

      {selected.size > 0 && (
        <div className="mb-3 flex flex-wrap items-center gap-3 rounded-lg border border-sky-200 bg-sky-50 px-3 py-2 text-sm">
          <span>{t("selected", { count: selected.size })}</span>
          {current.can("device.move") && (
            <Button tone="primary" size="sm" onClick={() => setMoving(true)}>
              {t("moveTo")}
            </Button>
          )}
          <Button tone="quiet" size="sm" onClick={() => setSelected(new Set())}>
            {t("clearSelection")}
          </Button>
        </div>
      )}

      <ErrorNotice error={devices.error} />
      {devices.data && devices.data.total === 0 && !filtered ? (
        <EmptyState title={t("emptyTitle")}>{t("emptyBody")}</EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="min-w-full text-left text-sm">
            <caption className="sr-only">{t("caption", { column: t(`columns.${query.sort}`) })}</caption>
            <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-600">
              <tr>
                <th scope="col" className="w-10 px-3 py-2">
                  <input
                    type="checkbox"
                    aria-label={t("selectAll")}
                    checked={allOnPage}
                    onChange={() =>
                      setSelected((previous) => {
                        const next = new Set(previous);
                        for (const row of rows) {
                          if (allOnPage) next.delete(row.id);
                          else next.add(row.id);
                        }
                        return next;
                      })
                    }
                  />
                </th>
                {SORTS.map((sort) => ({ sort, label: t(`columns.${sort}`) })).map((column) => (
                  <th
                    key={column.sort}
                    scope="col"
                    aria-sort={
                      query.sort === column.sort ? (query.direction === "asc" ? "ascending" : "descending") : undefined
                    }
                    className="px-3 py-2 font-semibold"
                  >
                    <button
                      type="button"
                      onClick={() => toggleSort(column.sort)}
                      className="inline-flex items-center gap-1 whitespace-nowrap uppercase hover:text-slate-900"
                    >
                      {column.label}
                      <span aria-hidden="true">
                        {query.sort === column.sort ? (query.direction === "asc" ? "▲" : "▼") : ""}
                      </span>
                    </button>
                  </th>
                ))}
                <th scope="col" className="px-3 py-2 font-semibold">
                  {t("columns.home")}
                </th>
                <th scope="col" className="px-3 py-2 font-semibold">
                  {t("columns.status")}
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((device) => (
                <tr key={device.id} className={selected.has(device.id) ? "bg-sky-50" : "hover:bg-slate-50"}>
                  <td className="px-3 py-2">
                    <input
                      type="checkbox"
                      aria-label={t("selectOne", { serial: device.serialNumber })}
                      checked={selected.has(device.id)}
                      onChange={() =>
                        setSelected((previous) => {
                          const next = new Set(previous);
                          if (next.has(device.id)) next.delete(device.id);
                          else next.add(device.id);
                          return next;
                        })
                      }
                    />
                  </td>
                  <td className="px-3 py-2 font-mono">
                    <Link href={current.withDomain(`/devices/${device.id}`)} className="text-sky-800 hover:underline">
                      {device.serialNumber}
                    </Link>
                  </td>
                  <td className="px-3 py-2">{device.modelName ?? device.productClass}</td>
                  <td className="px-3 py-2">{device.softwareVersion ?? "—"}</td>
                  <td className="px-3 py-2">
                    <LocalTime value={device.lastInformAt} relative />
                  </td>
                  <td className="px-3 py-2 font-mono">{device.externalIp ?? "—"}</td>
                  <td className="px-3 py-2">{device.domain.path.join(" / ")}</td>
                  <td className="px-3 py-2">
                    <HomeCell home={device.home} />
                  </td>
                  <td className="px-3 py-2">
                    <StatusBadge status={device.status} />
                  </td>
                </tr>
              ))}
              {devices.data && rows.length === 0 && (
                <tr>
                  <td colSpan={9} className="px-3 py-6 text-center text-slate-600">
                    {t("noMatch")}
                  </td>
                </tr>
              )}
              {devices.isPending && (
                <tr>
                  <td colSpan={9} className="px-3 py-6 text-center text-slate-500">
                    {t("loading")}
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}
      {devices.data && devices.data.total > 0 && (
        <Pagination
          page={query.page ?? 1}
          pageSize={PAGE_SIZE}
          total={devices.data.total}
          exact={devices.data.totalExact}
          noun={(count) => tc("count.devices", { count })}
          onPage={(page) => update({ page: page > 1 ? String(page) : undefined })}
        />
      )}
      {moving && (
        <MoveDevicesDialog
          deviceIds={[...selected]}
          onClose={() => setMoving(false)}
          onMoved={(count, domainName) => {
            setMoving(false);
            setSelected(new Set());
            setNotice(t("moved", { count, domain: domainName }));
            void queryClient.invalidateQueries({ queryKey: trpc.devices.pathKey() });
          }}
        />
      )}
    </>
  );
}

/** The room (a link to its site's room grid) or the subscriber line the device is provisioned for. */
function HomeCell({ home }: { home: DeviceHome }) {
  const t = useTranslations("devices");
  const current = useCurrentDomain();
  if (!home) return <span className="text-slate-400">—</span>;
  if (home.kind === "room") {
    return (
      <Link href={current.withDomain("/sites", { domain: home.siteId })} className="text-sky-800 hover:underline">
        {t("room", { number: home.number })}
        {home.name && <span className="text-slate-600"> · {home.name}</span>}
      </Link>
    );
  }
  return (
    <span>
      <span className="font-mono">{home.externalId}</span>
      <span className="text-slate-600">
        {" "}
        · {t("line", { number: home.number })}
        {home.subscriberName && ` · ${home.subscriberName}`}
      </span>
    </span>
  );
}
