"use client";

import { useTranslations } from "next-intl";
import { useEffect, useState } from "react";
import { DatabaseUnavailable } from "@/components/outage/database-outage.tsx";

/**
 * A page that failed on the server. In production its message is withheld (Next sends a digest only), so the
 * health endpoint tells which it was: the database being away gets the outage page, which retries by itself.
 */
export default function ConsoleError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const t = useTranslations("outage");
  const [databaseDown, setDatabaseDown] = useState<boolean | null>(null);
  useEffect(() => {
    fetch("/api/health", { cache: "no-store" })
      .then((response) => setDatabaseDown(!response.ok))
      .catch(() => setDatabaseDown(true));
  }, []);
  if (databaseDown === null) return null;
  if (databaseDown) return <DatabaseUnavailable onBack={reset} />;
  return (
    <section role="alert" className="mx-auto mt-10 max-w-xl rounded-lg border border-red-200 bg-red-50 px-6 py-8">
      <h1 className="text-lg font-semibold text-red-900">{t("errorTitle")}</h1>
      <p className="mt-2 text-sm text-red-800">{t("errorBody")}</p>
      <button
        type="button"
        onClick={reset}
        className="mt-4 rounded-md bg-red-700 px-3 py-2 text-sm font-medium text-white hover:bg-red-800"
      >
        {t("tryAgain")}
      </button>
    </section>
  );
}
