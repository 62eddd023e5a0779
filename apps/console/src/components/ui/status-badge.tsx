"use client";

import { useTranslations } from "next-intl";

const STYLES = {
  online: "bg-emerald-100 text-emerald-900",
  offline: "bg-amber-100 text-amber-900",
  never: "bg-slate-200 text-slate-700",
} as const;

export function StatusBadge({ status }: { status: keyof typeof STYLES }) {
  const t = useTranslations("common.deviceStatus");
  return (
    <span className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium ${STYLES[status]}`}>{t(status)}</span>
  );
}
