"use client";

import { useLocale, useTranslations } from "next-intl";
import { useEffect, useState } from "react";

const FULL: Intl.DateTimeFormatOptions = { dateStyle: "medium", timeStyle: "medium" };

/** A time in the viewer's own zone and locale; the server never guesses them. */
export function LocalTime({
  value,
  relative = false,
}: {
  value: Date | string | null | undefined;
  relative?: boolean;
}) {
  const t = useTranslations("common");
  const locale = useLocale();
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  if (!value) return <span className="text-slate-500">{t("state.never")}</span>;
  const date = typeof value === "string" ? new Date(value) : value;
  const iso = date.toISOString();
  if (!mounted) return <time dateTime={iso}>{t("time.utc", { time: iso.slice(0, 16).replace("T", " ") })}</time>;
  // The console's language, the browser's own time zone.
  const absolute = new Intl.DateTimeFormat(locale, FULL).format(date);
  return (
    <time dateTime={iso} title={absolute}>
      {relative ? describeAge(date, locale) : absolute}
    </time>
  );
}
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["day", 86_400],
  ["hour", 3_600],
  ["minute", 60],
  ["second", 1],
];

function describeAge(date: Date, locale: string): string {
  const relative = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
  const seconds = Math.round((date.getTime() - Date.now()) / 1000);
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size || unit === "second") return relative.format(Math.round(seconds / size), unit);
  }
  return "";
}
