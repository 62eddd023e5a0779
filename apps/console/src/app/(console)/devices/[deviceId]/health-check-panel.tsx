"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useEffect, useRef } from "react";
import { LocalTime } from "@/components/local-time.tsx";
import { Button } from "@/components/ui/button.tsx";
import { ErrorNotice } from "@/components/ui/error-notice.tsx";
import { useTRPC } from "@/trpc/client.tsx";
import type { Device } from "./device-view.tsx";

const VERDICT_STYLES = {
  healthy: "bg-emerald-100 text-emerald-900",
  degraded: "bg-amber-100 text-amber-900",
  failing: "bg-red-100 text-red-900",
  unknown: "bg-slate-200 text-slate-700",
} as const;

const STATUS_STYLES = {
  ok: "text-emerald-800",
  warning: "text-amber-800",
  failing: "text-red-800",
  unknown: "text-slate-600",
  notApplicable: "text-slate-500",
} as const;

const KNOWN_CHECKS = new Set([
  "reachability",
  "link",
  "optical",
  "wifi",
  "latency",
  "throughput",
  "reboots",
  "faults",
  "alarms",
]);

/** The pinged host of a fresh health check: a public anycast resolver every ISP reaches. */
const HEALTH_PING_HOST = "9.9.9.9";

export function HealthCheckPanel({ device }: { device: Device }) {
  const t = useTranslations("device.health");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const health = useQuery(trpc.diagnostics.health.queryOptions({ deviceId: device.id }));
  const diagnostics = useQuery({
    ...trpc.diagnostics.list.queryOptions({ deviceId: device.id, page: 1, pageSize: 5 }),
    refetchInterval: (query) =>
      query.state.data?.rows.some((d) => d.state === "requested" || d.state === "collecting") ? 2_000 : false,
  });
  const waiting = diagnostics.data?.rows.some((d) => d.state === "requested" || d.state === "collecting") ?? false;
  const run = useMutation(
    trpc.diagnostics.runHealthCheck.mutationOptions({
      onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.diagnostics.pathKey() }),
    }),
  );
  // Once the tests a check started have finished, the report is read again.
  const wasWaiting = useRef(false);
  useEffect(() => {
    if (wasWaiting.current && !waiting) {
      void queryClient.invalidateQueries({ queryKey: trpc.diagnostics.health.queryKey({ deviceId: device.id }) });
    }
    wasWaiting.current = waiting;
  }, [waiting, queryClient, trpc, device.id]);
  const can = device.permissions.some((p) => p === "device.refresh");
  const report = health.data;
  return (
    <section aria-labelledby="health-heading">
      <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
        <h2 id="health-heading" className="text-base font-semibold">
          {t("title")}
        </h2>
        {can && (
          <Button
            tone="primary"
            disabled={run.isPending}
            onClick={() => run.mutate({ deviceId: device.id, refresh: { pingHost: HEALTH_PING_HOST } })}
          >
            {run.isPending ? t("starting") : t("run")}
          </Button>
        )}
      </div>
      <ErrorNotice error={run.error ?? health.error} />
      {run.isSuccess && waiting && (
        <p role="status" className="mb-2 text-sm font-medium text-sky-900">
          {t("running", { host: HEALTH_PING_HOST })}
        </p>
      )}
      {report && (
        <div className="rounded-lg border border-slate-200 bg-white p-4" aria-live="polite">
          <p className="flex flex-wrap items-center gap-2 text-sm">
            <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${VERDICT_STYLES[report.verdict]}`}>
              {t(`verdicts.${report.verdict}`)}
            </span>
            <span className="text-slate-800">{report.summary}</span>
            <span className="text-slate-500">{t.rich("asOf", { time: () => <LocalTime value={report.at} /> })}</span>
          </p>
          <dl className="mt-3 grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-2">
            {report.checks.map((c) => (
              <div key={c.check}>
                <dt className="font-medium text-slate-700">
                  {t.rich("checkLine", {
                    check: KNOWN_CHECKS.has(c.check) ? t(`checks.${c.check}`) : c.check,
                    status: () => <span className={STATUS_STYLES[c.status]}>{t(`statuses.${c.status}`)}</span>,
                  })}
                </dt>
                <dd className="text-slate-600">{c.summary}</dd>
              </div>
            ))}
          </dl>
          {can && <p className="mt-3 text-xs text-slate-500">{t("hint", { host: HEALTH_PING_HOST })}</p>}
        </div>
      )}
    </section>
  );
}
