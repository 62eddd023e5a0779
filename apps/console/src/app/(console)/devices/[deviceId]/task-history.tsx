"use client";

import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { LocalTime } from "@/components/local-time.tsx";
import { ErrorNotice } from "@/components/ui/error-notice.tsx";
import { useTRPC } from "@/trpc/client.tsx";

const STATE_STYLES: Record<string, string> = {
  pending: "bg-slate-100 text-slate-800",
  running: "bg-sky-100 text-sky-900",
  done: "bg-emerald-100 text-emerald-900",
  fault: "bg-red-100 text-red-900",
  expired: "bg-amber-100 text-amber-900",
  cancelled: "bg-slate-100 text-slate-600",
};

const KNOWN_WAKE_OUTCOMES = new Set([
  "woken",
  "udp-sent",
  "busy",
  "auth-rejected",
  "unreachable",
  "timeout",
  "no-address",
  "failed",
  "refused",
]);

export function TaskHistory({ deviceId }: { deviceId: string }) {
  const t = useTranslations("device.tasks");
  const trpc = useTRPC();
  const tasks = useQuery({
    ...trpc.devices.tasks.queryOptions({ deviceId }),
    // Keep watching while work is queued, so the outcome shows up without a reload.
    refetchInterval: (query) =>
      query.state.data?.some((task) => task.state === "pending" || task.state === "running") ? 5_000 : false,
  });
  return (
    <section aria-labelledby="tasks-heading">
      <h2 id="tasks-heading" className="mb-3 text-base font-semibold">
        {t("title")}
      </h2>
      <ErrorNotice error={tasks.error} />
      {tasks.data?.length === 0 && (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white px-4 py-6 text-center text-sm text-slate-600">
          {t("empty")}
        </p>
      )}
      {tasks.data && tasks.data.length > 0 && (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="min-w-full text-left text-sm">
            <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-600">
              <tr>
                <th scope="col" className="px-3 py-2">
                  {t("queued")}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t("task")}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t("state")}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t("outcome")}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t("by")}
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {tasks.data.map((task) => (
                <tr key={task.id}>
                  <td className="whitespace-nowrap px-3 py-2">
                    <LocalTime value={task.createdAt} />
                  </td>
                  <td className="px-3 py-2">{task.summary}</td>
                  <td className="px-3 py-2">
                    <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${STATE_STYLES[task.state] ?? ""}`}>
                      {task.state in STATE_STYLES ? t(`states.${task.state}`) : task.state}
                    </span>
                  </td>
                  <td className="px-3 py-2 text-slate-700">
                    {task.faultExplanation ??
                      (task.state === "done" && task.finishedAt ? (
                        t.rich("finished", { time: () => <LocalTime value={task.finishedAt} relative /> })
                      ) : task.attempts > 1 ? (
                        t("tried", { count: task.attempts })
                      ) : task.state === "pending" && task.wakeOutcome ? (
                        <span title={task.wakeDetail ?? undefined}>
                          {KNOWN_WAKE_OUTCOMES.has(task.wakeOutcome) ? t(`wake.${task.wakeOutcome}`) : task.wakeOutcome}
                        </span>
                      ) : task.state === "running" && task.kind === "reboot" ? (
                        t("rebooting")
                      ) : (
                        "—"
                      ))}
                  </td>
                  <td className="px-3 py-2 text-slate-600">{task.createdBy ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
