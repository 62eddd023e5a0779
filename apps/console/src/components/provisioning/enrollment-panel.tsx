"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useCurrentDomain } from "@/components/domain/current-domain.tsx";
import { LocalTime } from "@/components/local-time.tsx";
import { Button } from "@/components/ui/button.tsx";
import { ConfirmDialog } from "@/components/ui/confirm-dialog.tsx";
import { ErrorNotice } from "@/components/ui/error-notice.tsx";
import { useTRPC } from "@/trpc/client.tsx";

/**
 * What to put into a CPE or an OLT profile so that devices enroll straight into this domain: the ACS URL and the
 * domain's own enrollment credential (its password is shown once, when made).
 */
export function EnrollmentPanel({ acsUrl }: { acsUrl: string }) {
  const t = useTranslations("provisioning.enrollment");
  const current = useCurrentDomain();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const tenantId = current.domain.id;
  const enrollment = useQuery(trpc.provisioning.enrollment.queryOptions({ tenantId }));
  const [confirming, setConfirming] = useState(false);
  const create = useMutation(
    trpc.provisioning.createEnrollment.mutationOptions({
      onSuccess: () => {
        setConfirming(false);
        void queryClient.invalidateQueries({ queryKey: trpc.provisioning.enrollment.queryKey({ tenantId }) });
      },
    }),
  );
  const made = create.data;
  const username = made?.username ?? enrollment.data?.username ?? null;
  return (
    <section
      aria-labelledby="enrollment-heading"
      className="mb-6 rounded-lg border border-slate-200 bg-white p-4 text-sm"
    >
      <h2 id="enrollment-heading" className="text-base font-semibold">
        {t("title", { domain: current.domain.name })}
      </h2>
      <p className="mt-1 text-slate-600">{t("explain")}</p>
      <ErrorNotice error={enrollment.error ?? create.error} />
      <dl className="mt-3 grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1">
        <dt className="font-medium text-slate-700">{t("acsUrl")}</dt>
        <dd className="font-mono" data-testid="enrollment-url">
          {acsUrl}
        </dd>
        <dt className="font-medium text-slate-700">{t("username")}</dt>
        <dd className="font-mono" data-testid="enrollment-username">
          {username ?? <span className="font-sans text-slate-500">{t("noneYet")}</span>}
        </dd>
        <dt className="font-medium text-slate-700">{t("password")}</dt>
        <dd className="font-mono" data-testid="enrollment-password">
          {made ? (
            made.password
          ) : (
            <span className="font-sans text-slate-500">{username ? t("passwordHidden") : "—"}</span>
          )}
        </dd>
      </dl>
      {made && (
        <p className="mt-2 text-amber-800" role="status">
          {t("copyNow")}
        </p>
      )}
      <div className="mt-3">
        <Button size="sm" onClick={() => (username ? setConfirming(true) : create.mutate({ tenantId }))}>
          {username ? t("replace") : t("make")}
        </Button>
      </div>
      {confirming && (
        <ConfirmDialog
          title={t("replaceTitle")}
          confirmLabel={t("replaceConfirm")}
          pending={create.isPending}
          onClose={() => setConfirming(false)}
          onConfirm={() => create.mutate({ tenantId })}
        >
          <p>{t("replaceBody")}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}

/** Known devices that came back from a factory reset and wait for someone to re-admit them. */
export function ReenrollRequests() {
  const t = useTranslations("provisioning.reenroll");
  const current = useCurrentDomain();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const tenantId = current.domain.id;
  const requests = useQuery(trpc.provisioning.reenrollRequests.queryOptions({ tenantId }, { refetchInterval: 15_000 }));
  const readmit = useMutation(
    trpc.provisioning.readmit.mutationOptions({
      onSuccess: () =>
        void queryClient.invalidateQueries({ queryKey: trpc.provisioning.reenrollRequests.queryKey({ tenantId }) }),
    }),
  );
  const rows = requests.data ?? [];
  if (rows.length === 0) return null;
  const canReadmit = current.can("provisioning.manage");
  return (
    <section
      aria-labelledby="reenroll-heading"
      className="mb-6 rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm"
    >
      <h2 id="reenroll-heading" className="text-base font-semibold">
        {t("title")}
      </h2>
      <p className="mt-1 text-slate-700">{t("explain")}</p>
      <ErrorNotice error={requests.error ?? readmit.error} />
      <ul className="mt-2 divide-y divide-amber-200">
        {rows.map((d) => (
          <li key={d.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
            <span>
              {t.rich("asked", {
                domain: d.tenant.name,
                serial: () => <span className="font-mono">{d.serialNumber}</span>,
                time: () => <LocalTime value={d.requestedAt} relative />,
              })}
            </span>
            {d.approvedAt ? (
              <span className="text-slate-600">{t("readmitted")}</span>
            ) : (
              canReadmit && (
                <Button
                  size="sm"
                  disabled={readmit.isPending}
                  aria-label={t("readmitLabel", { serial: d.serialNumber })}
                  onClick={() => readmit.mutate({ deviceId: d.id })}
                >
                  {t("readmit")}
                </Button>
              )
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
