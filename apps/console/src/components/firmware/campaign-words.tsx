"use client";

import { useTranslations } from "next-intl";
import type { RouterOutputs } from "@/trpc/types.ts";

type CampaignState = RouterOutputs["firmware"]["campaign"]["state"];
export type CampaignDeviceState = RouterOutputs["firmware"]["campaignDevices"]["rows"][number]["state"];

const CAMPAIGN_STATES: Record<CampaignState, { label: string; style: string }> = {
  running: { label: "Running", style: "bg-sky-100 text-sky-900" },
  paused: { label: "Paused", style: "bg-amber-100 text-amber-900" },
  completed: { label: "Completed", style: "bg-emerald-100 text-emerald-900" },
  cancelled: { label: "Cancelled", style: "bg-slate-200 text-slate-700" },
};

export function CampaignStateBadge({ state }: { state: CampaignState }) {
  const t = useTranslations("firmware");
  const { style } = CAMPAIGN_STATES[state];
  return (
    <span className={`inline-flex rounded-full px-2 py-0.5 text-xs font-medium ${style}`}>
      {t(`campaignStates.${state}`)}
    </span>
  );
}

/** A device's place in a campaign, in the order it goes through them, with the colour of its bar segment. */
export const DEVICE_STATES: { state: CampaignDeviceState; label: string; bar: string }[] = [
  { state: "installed", label: "Installed", bar: "bg-emerald-600" },
  { state: "installing", label: "Installing", bar: "bg-sky-400" },
  { state: "downloading", label: "Downloading", bar: "bg-sky-700" },
  { state: "pending", label: "Pending", bar: "bg-slate-300" },
  { state: "failed", label: "Failed", bar: "bg-red-600" },
  { state: "notReturned", label: "Did not come back", bar: "bg-red-900" },
  { state: "skipped", label: "Skipped", bar: "bg-slate-400" },
  { state: "cancelled", label: "Cancelled", bar: "bg-slate-500" },
];

export function deviceStateLabel(state: CampaignDeviceState): string {
  return DEVICE_STATES.find((s) => s.state === state)?.label ?? state;
}

/** Counts of devices by state as one stacked bar, labelled for screen readers. */
export function ProgressBar({
  counts,
  label,
}: {
  counts: Partial<Record<CampaignDeviceState, number>>;
  label: string;
}) {
  const t = useTranslations("firmware");
  const total = DEVICE_STATES.reduce((n, s) => n + (counts[s.state] ?? 0), 0);
  const words = DEVICE_STATES.filter((s) => counts[s.state])
    .map((s) => `${counts[s.state]} ${t(`deviceStates.${s.state}`).toLowerCase()}`)
    .join(", ");
  return (
    <div
      role="img"
      aria-label={`${label}: ${words || t("progressNone")}`}
      className="flex h-2.5 w-full overflow-hidden rounded-full bg-slate-100"
    >
      {total > 0 &&
        DEVICE_STATES.map((s) =>
          counts[s.state] ? (
            <div key={s.state} className={s.bar} style={{ width: `${((counts[s.state] ?? 0) / total) * 100}%` }} />
          ) : null,
        )}
    </div>
  );
}

export function formatBytes(bytes: bigint | number | string): string {
  const n = Number(bytes);
  if (n < 1024) return `${n} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.round((seconds % 3600) / 60);
  return minutes ? `${hours} h ${minutes} min` : `${hours} h`;
}

/**
 * A device's state in a campaign as the person should read it: a device already reporting the target version is
 * not "Downloading" (the campaign has not seen its TransferComplete yet), and one counted as installed but
 * reporting another version says so.
 */
export function DeviceStateCell({
  state,
  version,
  targetVersion,
}: {
  state: CampaignDeviceState;
  version: string | null;
  targetVersion: string;
}) {
  const t = useTranslations("firmware");
  const inFlight = state === "downloading" || state === "installing";
  if (inFlight && version === targetVersion) {
    return (
      <span className="font-medium text-sky-900" data-state="disagree">
        {t("disagree.onTarget", { version })}
      </span>
    );
  }
  if (state === "installed" && version !== targetVersion) {
    return (
      <span className="font-medium text-amber-800" data-state="disagree">
        {t("disagree.notOnTarget", { version: version ?? "?" })}
      </span>
    );
  }
  return <span className="font-medium">{t(`deviceStates.${state}`)}</span>;
}
