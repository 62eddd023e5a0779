"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { type ReactNode, useEffect, useState } from "react";

/** Fired by the API client when a call answers SERVICE_UNAVAILABLE (the database is away). */
export const DATABASE_UNAVAILABLE_EVENT = "beacon:database-unavailable";

const POLL_MS = 3_000;

async function databaseAnswers(): Promise<boolean> {
  try {
    const response = await fetch("/api/health", { cache: "no-store" });
    return response.ok;
  } catch {
    return false;
  }
}

/**
 * Shows "database unavailable, retrying" in place of the page while the database is away, instead of a page full
 * of errors; checks /api/health every few seconds and, once it answers, shows the page again with fresh data.
 */
export function DatabaseOutageGuard({ children }: { children: ReactNode }) {
  const [down, setDown] = useState(false);
  const queryClient = useQueryClient();
  useEffect(() => {
    const onUnavailable = () => setDown(true);
    window.addEventListener(DATABASE_UNAVAILABLE_EVENT, onUnavailable);
    return () => window.removeEventListener(DATABASE_UNAVAILABLE_EVENT, onUnavailable);
  }, []);
  useEffect(() => {
    if (!down) return;
    const timer = setInterval(async () => {
      if (!(await databaseAnswers())) return;
      setDown(false);
      void queryClient.invalidateQueries();
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [down, queryClient]);
  return down ? <DatabaseUnavailable /> : children;
}

/** The outage page: what happened, that Beacon is on it, and that nothing needs doing. */
export function DatabaseUnavailable({ onBack }: { onBack?: () => void }) {
  const t = useTranslations("outage");
  useEffect(() => {
    if (!onBack) return;
    const timer = setInterval(async () => {
      if (await databaseAnswers()) onBack();
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [onBack]);
  return (
    <section
      role="alert"
      aria-live="polite"
      className="mx-auto mt-10 max-w-xl rounded-lg border border-amber-300 bg-amber-50 px-6 py-8 text-center"
    >
      <h1 className="text-lg font-semibold text-amber-950">{t("title")}</h1>
      <p className="mt-2 text-sm text-amber-900">{t("body")}</p>
      <p className="mt-4 flex items-center justify-center gap-2 text-sm text-amber-800">
        <span className="inline-block h-2 w-2 animate-pulse rounded-full bg-amber-500" aria-hidden="true" />
        {t("checking")}
      </p>
    </section>
  );
}
