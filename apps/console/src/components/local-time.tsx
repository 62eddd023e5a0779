"use client";

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
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  if (!value) return <span className="text-slate-500">never</span>;
  const date = typeof value === "string" ? new Date(value) : value;
  const iso = date.toISOString();
  if (!mounted) return <time dateTime={iso}>{iso.slice(0, 16).replace("T", " ")} UTC</time>;
  const absolute = new Intl.DateTimeFormat(undefined, FULL).format(date);
  return (
    <time dateTime={iso} title={absolute}>
      {relative ? describeAge(date) : absolute}
    </time>
  );
}

const RELATIVE = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["day", 86_400],
  ["hour", 3_600],
  ["minute", 60],
  ["second", 1],
];

function describeAge(date: Date): string {
  const seconds = Math.round((date.getTime() - Date.now()) / 1000);
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size || unit === "second") return RELATIVE.format(Math.round(seconds / size), unit);
  }
  return "";
}
