"use client";

import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter, useSearchParams } from "next/navigation";
import { useTranslations } from "next-intl";
import { useCurrentDomain } from "@/components/domain/current-domain.tsx";
import { EmptyState } from "@/components/empty-state.tsx";
import { formatBytes } from "@/components/firmware/campaign-words.tsx";
import { FirmwareTabs } from "@/components/firmware/firmware-tabs.tsx";
import { LocalTime } from "@/components/local-time.tsx";
import { PageHeader } from "@/components/page-header.tsx";
import { ErrorNotice } from "@/components/ui/error-notice.tsx";
import { Pagination } from "@/components/ui/pagination.tsx";
import { useTRPC } from "@/trpc/client.tsx";
import { UploadForm } from "./upload-form.tsx";

const PAGE_SIZE = 25;

export function ImagesView() {
  const t = useTranslations("firmware");
  const current = useCurrentDomain();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const page = Math.max(1, Number(useSearchParams().get("page")) || 1);
  const canRead = current.can("device.read");
  const images = useQuery(
    trpc.firmware.images.queryOptions(
      { tenantId: current.domain.id, page, pageSize: PAGE_SIZE },
      { enabled: canRead, placeholderData: keepPreviousData },
    ),
  );
  return (
    <>
      <PageHeader title={t("images.title")} description={t("images.description", { domain: current.domain.name })} />
      <FirmwareTabs />
      {current.can("firmware.manage") && (
        <UploadForm
          tenantId={current.domain.id}
          onUploaded={() => void queryClient.invalidateQueries({ queryKey: trpc.firmware.images.pathKey() })}
        />
      )}
      <ErrorNotice error={images.error} />
      {images.data?.total === 0 ? (
        <EmptyState title={t("images.emptyTitle")}>
          {current.can("firmware.manage") ? t("images.emptyManage") : t("images.emptyAsk")}
        </EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="min-w-full text-left text-sm">
            <caption className="sr-only">{t("images.caption")}</caption>
            <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-600">
              <tr>
                <th scope="col" className="px-3 py-2">
                  {t("images.image")}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t("images.version")}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t("images.for")}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t("images.size")}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t("images.sha256")}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t("images.uploaded")}
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {images.data?.rows.map((image) => (
                <tr key={image.id} className="align-top">
                  <td className="px-3 py-2">
                    <span className="block font-medium">{image.name}</span>
                    <span className="text-xs text-slate-500">
                      {image.vendor}
                      {image.inherited ? t("images.inherited") : ""}
                    </span>
                  </td>
                  <td className="px-3 py-2 font-mono">{image.version}</td>
                  <td className="px-3 py-2">{image.productClasses.join(", ")}</td>
                  <td className="whitespace-nowrap px-3 py-2">{formatBytes(image.size)}</td>
                  <td className="px-3 py-2 font-mono text-xs" title={image.sha256}>
                    {image.sha256.slice(0, 16)}…
                  </td>
                  <td className="whitespace-nowrap px-3 py-2">
                    <LocalTime value={image.createdAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {images.data && images.data.total > 0 && (
        <Pagination
          page={page}
          pageSize={PAGE_SIZE}
          total={images.data.total}
          noun={t("images.pageNoun")}
          onPage={(next) =>
            router.replace(current.withDomain("/firmware/images", { page: next > 1 ? String(next) : undefined }), {
              scroll: false,
            })
          }
        />
      )}
    </>
  );
}
