import { checkDataFolder, databaseAnswers, formatBytes, isDatabaseUnavailable, readRunStatus } from "@beacon/db";
import { isPlatformStaff } from "@beacon/domain";
import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { EmptyState } from "@/components/empty-state.tsx";
import { LocalTime } from "@/components/local-time.tsx";
import { DatabaseUnavailable } from "@/components/outage/database-outage.tsx";
import { PageHeader } from "@/components/page-header.tsx";
import { sessionUser } from "@/server/auth.ts";
import { consoleConfig } from "@/server/config.ts";
import { consoleDb } from "@/server/db.ts";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("status"))("title") };
}

const STATE_STYLES = {
  running: "bg-emerald-100 text-emerald-900",
  restarting: "bg-amber-100 text-amber-900",
  stopped: "bg-slate-200 text-slate-800",
} as const;

/**
 * Beacon's own health for the platform's staff: its processes (restarts and why, from the supervisor of
 * `beacon start`), the database, and the data folder's disk. Read from the status file and checked live, so that
 * it tells the truth while the database is down.
 */
export default async function StatusPage() {
  const user = await sessionUser();
  if (!user) redirect("/signin");
  const t = await getTranslations("status");
  const db = consoleDb();
  try {
    if (!(await isPlatformStaff(db, user.id))) notFound();
  } catch (error) {
    if (isDatabaseUnavailable(error)) return <DatabaseUnavailable />;
    throw error;
  }
  const { dataDir } = consoleConfig();
  const [databaseOk, storage, run] = [await databaseAnswers(db), checkDataFolder(dataDir), readRunStatus(dataDir)];
  const alarms = [
    ...(run?.alarms ?? []),
    ...(storage.ok || run?.alarms.some((a) => a.key === "storage")
      ? []
      : [{ key: "storage", message: storage.message, since: null }]),
  ];

  return (
    <div className="space-y-8">
      <PageHeader title={t("title")} description={t("description")} />

      <section aria-labelledby="alarms-heading">
        <h2 id="alarms-heading" className="mb-2 text-base font-semibold text-slate-900">
          {t("alarms")}
        </h2>
        {alarms.length === 0 ? (
          <p className="text-sm text-slate-600">{t("noAlarms")}</p>
        ) : (
          <ul className="space-y-2">
            {alarms.map((alarm) => (
              <li key={alarm.key} role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm">
                <span className="font-medium text-red-900">{alarm.message}</span>
                {alarm.since && (
                  <span className="ml-2 text-red-800">
                    {t.rich("since", { time: () => <LocalTime value={alarm.since} /> })}
                  </span>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="checks-heading">
        <h2 id="checks-heading" className="mb-2 text-base font-semibold text-slate-900">
          {t("checks")}
        </h2>
        <dl className="grid max-w-xl grid-cols-[max-content_1fr] gap-x-6 gap-y-1 text-sm">
          <dt className="text-slate-600">{t("database")}</dt>
          <dd className={databaseOk ? "text-emerald-800" : "font-medium text-red-800"}>
            {databaseOk ? t("databaseOk") : t("databaseDown")}
          </dd>
          <dt className="text-slate-600">{t("dataFolder")}</dt>
          <dd className={storage.ok ? "text-emerald-800" : "font-medium text-red-800"}>
            {storage.ok ? t("writable", { free: formatBytes(storage.freeBytes) }) : storage.message}
          </dd>
        </dl>
      </section>

      <section aria-labelledby="processes-heading">
        <h2 id="processes-heading" className="mb-2 text-base font-semibold text-slate-900">
          {t("processes")}
        </h2>
        {!run ? (
          <EmptyState title={t("noSupervisorTitle")}>
            {t.rich("noSupervisorBody", { code: (chunks) => <code>{chunks}</code> })}
          </EmptyState>
        ) : (
          <table className="w-full max-w-3xl text-left text-sm">
            <thead className="border-b border-slate-200 text-slate-600">
              <tr>
                <th scope="col" className="py-2 pr-4 font-medium">
                  {t("process")}
                </th>
                <th scope="col" className="py-2 pr-4 font-medium">
                  {t("state")}
                </th>
                <th scope="col" className="py-2 pr-4 font-medium">
                  {t("runningSince")}
                </th>
                <th scope="col" className="py-2 pr-4 font-medium">
                  {t("restarts")}
                </th>
              </tr>
            </thead>
            <tbody>
              {run.children.map((child) => (
                <tr key={child.key} className="border-b border-slate-100">
                  <td className="py-2 pr-4 text-slate-900">
                    {child.name.replace(/^the /, "")}
                    {child.pid && <span className="ml-2 text-xs text-slate-500">pid {child.pid}</span>}
                  </td>
                  <td className="py-2 pr-4">
                    <span className={`rounded px-2 py-0.5 text-xs font-medium ${STATE_STYLES[child.state]}`}>
                      {t(`states.${child.state}`)}
                    </span>
                  </td>
                  <td className="py-2 pr-4 text-slate-700">
                    <LocalTime value={child.startedAt} />
                  </td>
                  <td className="py-2 pr-4 text-slate-700">{child.restarts}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      {run && (
        <section aria-labelledby="events-heading">
          <h2 id="events-heading" className="mb-2 text-base font-semibold text-slate-900">
            {t("events")}
          </h2>
          {run.events.length === 0 ? (
            <p className="text-sm text-slate-600">
              {t.rich("nothingStopped", { time: () => <LocalTime value={run.startedAt} /> })}
            </p>
          ) : (
            <ol className="space-y-1 text-sm">
              {[...run.events].reverse().map((event) => (
                <li key={`${event.at}-${event.kind}-${event.child}`} className="flex gap-3">
                  <span className="shrink-0 text-slate-500">
                    <LocalTime value={event.at} />
                  </span>
                  <span className="text-slate-800">{event.message}</span>
                </li>
              ))}
            </ol>
          )}
        </section>
      )}
    </div>
  );
}
