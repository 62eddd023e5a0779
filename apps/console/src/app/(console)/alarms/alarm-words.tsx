"use client";

import { useTranslations } from "next-intl";

const SEVERITY_STYLES = {
  critical: "bg-red-100 text-red-900",
  major: "bg-orange-100 text-orange-900",
  minor: "bg-amber-100 text-amber-900",
  warning: "bg-yellow-50 text-yellow-900",
} as const;

export type AlarmSeverity = keyof typeof SEVERITY_STYLES;

export function SeverityBadge({ severity }: { severity: AlarmSeverity }) {
  const t = useTranslations("alarms.severities");
  return (
    <span className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium ${SEVERITY_STYLES[severity]}`}>
      {t(severity)}
    </span>
  );
}

const KNOWN_TYPES = new Set(["optical.rxLow", "optical.rxOverload", "optical.los", "device.offline", "device.reboots"]);

/** An alarm type in the console's language (alarms.types.<type with _ for .>); unknown types as they are. */
export function useAlarmType(): (type: string) => string {
  const t = useTranslations("alarms.types");
  return (type) => (KNOWN_TYPES.has(type) ? t(type.replaceAll(".", "_")) : type);
}
