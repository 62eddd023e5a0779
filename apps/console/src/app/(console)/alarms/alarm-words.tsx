const SEVERITY_STYLES = {
  critical: "bg-red-100 text-red-900",
  major: "bg-orange-100 text-orange-900",
  minor: "bg-amber-100 text-amber-900",
  warning: "bg-yellow-50 text-yellow-900",
} as const;

export type AlarmSeverity = keyof typeof SEVERITY_STYLES;

const SEVERITY_LABELS: Record<AlarmSeverity, string> = {
  critical: "Critical",
  major: "Major",
  minor: "Minor",
  warning: "Warning",
};

export function SeverityBadge({ severity }: { severity: AlarmSeverity }) {
  return (
    <span className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium ${SEVERITY_STYLES[severity]}`}>
      {SEVERITY_LABELS[severity]}
    </span>
  );
}

const TYPE_LABELS: Record<string, string> = {
  "optical.rxLow": "Low optical level",
  "optical.rxOverload": "Optical overload",
  "optical.los": "Loss of optical signal",
  "device.offline": "Device offline",
  "device.reboots": "Repeated reboots",
};

export function describeAlarmType(type: string): string {
  return TYPE_LABELS[type] ?? type;
}
