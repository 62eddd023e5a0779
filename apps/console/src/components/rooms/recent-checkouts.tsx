"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { EmptyState } from "@/components/empty-state.tsx";
import { LocalTime } from "@/components/local-time.tsx";
import { CheckoutNetworks } from "@/components/networks/checkout-networks.tsx";
import { CHECKOUT_STATE_STYLES } from "@/components/networks/network-words.ts";
import { sentence } from "@/components/provisioning/csv-import.tsx";
import { Button } from "@/components/ui/button.tsx";
import { ErrorNotice } from "@/components/ui/error-notice.tsx";
import { useTRPC } from "@/trpc/client.tsx";
import { PrintCardsButton } from "./wifi-cards.tsx";

const PAGE = 10;

/** A site's checkouts, newest first, refreshed while any is pending. */
export function RecentCheckouts({ siteId }: { siteId: string }) {
  const t = useTranslations("rooms");
  const trpc = useTRPC();
  const [limit, setLimit] = useState(PAGE);
  const checkouts = useQuery(
    trpc.checkout.list.queryOptions(
      { siteId, limit },
      {
        placeholderData: keepPreviousData,
        refetchInterval: (query) => (query.state.data?.some((c) => c.state === "pending") ? 2500 : 10_000),
      },
    ),
  );
  const rows = checkouts.data ?? [];
  return (
    <section aria-labelledby="checkouts-heading" className="space-y-3">
      <h2 id="checkouts-heading" className="text-base font-semibold">
        {t("recent.title")}
      </h2>
      <ErrorNotice error={checkouts.error} />
      {checkouts.data && rows.length === 0 ? (
        <EmptyState title={t("recent.emptyTitle")}>{t("recent.emptyBody")}</EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="min-w-full text-left text-sm">
            <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-600">
              <tr>
                <th scope="col" className="px-3 py-2">
                  {t("recent.room")}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t("recent.requested")}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t("recent.by")}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t("recent.state")}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t("recent.passphrase")}
                </th>
                <th scope="col" className="px-3 py-2">
                  <span className="sr-only">{t("recent.card")}</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((c) => (
                <tr key={c.id} data-checkout-room={c.roomNumber}>
                  <td className="px-3 py-2 font-medium">{c.roomNumber}</td>
                  <td className="px-3 py-2">
                    <LocalTime value={c.createdAt} />
                  </td>
                  <td className="px-3 py-2">{c.requestedBy}</td>
                  <td className="px-3 py-2">
                    <span
                      className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium ${CHECKOUT_STATE_STYLES[c.state] ?? ""}`}
                    >
                      {c.state in CHECKOUT_STATE_STYLES ? t(`checkoutStates.${c.state}`) : c.state}
                    </span>
                    {c.completedAt && (
                      <span className="ml-2 text-xs text-slate-500">
                        <LocalTime value={c.completedAt} relative />
                      </span>
                    )}
                    <CheckoutNetworks networks={c.networks} />
                    {c.problem && c.networks.length === 0 && (
                      <p className="mt-1 text-xs text-red-800">{sentence(c.problem)}</p>
                    )}
                  </td>
                  <td className="px-3 py-2 font-mono">
                    {c.passphrase ?? <span className="text-slate-500">{t("recent.hidden")}</span>}
                  </td>
                  <td className="px-3 py-2 text-right">
                    {c.passphrase && c.state !== "failed" && <PrintCardsButton checkoutIds={[c.id]} />}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {rows.length >= limit && (
        <Button size="sm" onClick={() => setLimit((l) => l + PAGE)} disabled={checkouts.isFetching}>
          {t("recent.older")}
        </Button>
      )}
    </section>
  );
}
