"use client";

import { useTranslations } from "next-intl";
import { OUTCOME_STYLES } from "./network-words.ts";

export interface NetworkOutcomeView {
  path: string;
  label: string;
  status: string;
  reason: string | null;
}

/** Per network: whether the checkout's new passphrase is in place, and why not when it is not. */
export function CheckoutNetworks({ networks }: { networks: readonly NetworkOutcomeView[] }) {
  const t = useTranslations("networks");
  if (networks.length === 0) return null;
  return (
    <ul className="mt-1 space-y-0.5 text-xs" aria-label={t("title")}>
      {networks.map((n) => {
        const style = OUTCOME_STYLES[n.status];
        return (
          <li key={n.path} data-network-outcome={n.status} className="flex flex-wrap items-baseline gap-1.5">
            <span className={`rounded-full px-1.5 py-px font-medium ${style ?? "bg-slate-100 text-slate-800"}`}>
              {style ? t(`outcomes.${n.status}`) : n.status}
            </span>
            <span>{n.label}</span>
            {n.status === "failed" && n.reason && <span className="text-red-800">— {n.reason}</span>}
          </li>
        );
      })}
    </ul>
  );
}
