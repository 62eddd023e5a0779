"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { useCurrentDomain } from "@/components/domain/current-domain.tsx";
import { LocalTime } from "@/components/local-time.tsx";
import { buttonClasses } from "@/components/ui/button.tsx";
import { ErrorNotice } from "@/components/ui/error-notice.tsx";
import { useTRPC } from "@/trpc/client.tsx";
import type { RouterOutputs } from "@/trpc/types.ts";

type Connector = NonNullable<RouterOutputs["pms"]["get"]>;

/** How often the status asks again, so that a link coming up or a check-out shows without reloading. */
const REFRESH_MS = 3000;

const STATE_STYLES = {
  connected: "bg-emerald-100 text-emerald-900",
  webhook: "bg-emerald-100 text-emerald-900",
  disconnected: "bg-amber-100 text-amber-900",
  error: "bg-red-100 text-red-900",
  disabled: "bg-slate-200 text-slate-700",
} as const;

/** What a cloud PMS connector shows as its state: it has no link, only the webhooks it receives. */
function shownState(connector: Connector): keyof typeof STATE_STYLES {
  if (!connector.enabled) return "disabled";
  if (connector.kind === "fias") return connector.status.state;
  return connector.status.state === "error" ? "error" : "webhook";
}

/** The hotel's PMS connection on the hotel's page: connected or not, its last record, its errors. */
export function PmsStatus({ siteId }: { siteId: string }) {
  const t = useTranslations("pms");
  const current = useCurrentDomain();
  const trpc = useTRPC();
  const connector = useQuery(trpc.pms.get.queryOptions({ siteId }, { refetchInterval: REFRESH_MS }));
  const settingsHref = current.withDomain("/sites/pms");
  if (connector.error) return <ErrorNotice error={connector.error} />;
  if (connector.isPending) return null;
  const data = connector.data;
  return (
    <section
      aria-labelledby="pms-status-heading"
      data-testid="pms-status"
      className="flex flex-wrap items-start justify-between gap-3 rounded-lg border border-slate-200 bg-white px-4 py-3 text-sm"
    >
      <div className="space-y-1">
        <h2 id="pms-status-heading" className="font-semibold">
          {t("status.heading")}
          {data && <span className="font-normal text-slate-600"> · {t(`kind.${data.kind}`)}</span>}
        </h2>
        {data ? (
          <>
            <p className="flex flex-wrap items-center gap-2">
              <span
                data-testid="pms-state"
                className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium ${STATE_STYLES[shownState(data)]}`}
              >
                {t(`state.${shownState(data)}`)}
              </span>
              {data.kind === "fias" && data.status.stateChangedAt && (
                <span className="text-slate-600">
                  {t.rich("status.since", { time: () => <LocalTime value={data.status.stateChangedAt} relative /> })}
                </span>
              )}
            </p>
            <p className="text-slate-700" data-testid="pms-last-record">
              {t.rich("status.lastRecord", { time: () => <LocalTime value={data.status.lastRecordAt} relative /> })}
            </p>
            <p className="text-slate-600">
              {t("status.counts", {
                records: data.status.recordCount,
                checkouts: data.status.checkoutCount,
                errors: data.status.errorCount,
              })}
            </p>
            {data.status.lastError && (
              <p className="text-red-800">
                {t.rich("status.lastError", {
                  time: () => <LocalTime value={data.status.lastErrorAt} relative />,
                  error: data.status.lastError,
                })}
              </p>
            )}
          </>
        ) : (
          <p className="text-slate-600">{t("status.none")}</p>
        )}
      </div>
      {(data || current.can("tenant.manage")) && (
        <Link href={settingsHref} className={buttonClasses("secondary", "sm")}>
          {data ? t("status.settings") : t("status.connect")}
        </Link>
      )}
    </section>
  );
}
