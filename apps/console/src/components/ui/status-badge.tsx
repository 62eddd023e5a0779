const STYLES = {
  online: "bg-emerald-100 text-emerald-900",
  offline: "bg-amber-100 text-amber-900",
  never: "bg-slate-200 text-slate-700",
} as const;

const LABELS = { online: "Online", offline: "Offline", never: "Never seen" } as const;

export function StatusBadge({ status }: { status: keyof typeof STYLES }) {
  return (
    <span className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium ${STYLES[status]}`}>
      {LABELS[status]}
    </span>
  );
}
