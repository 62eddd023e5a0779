"use client";

import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import type { FormEvent } from "react";
import { consolePath, useCurrentDomainIfReady } from "@/components/domain/current-domain.tsx";

/**
 * The header's search: a room number, a part of a serial, a MAC or IP address, a subscriber id. Opens the devices
 * list of the current domain searched for it, where the room or line of each match shows.
 */
export function QuickSearch() {
  const t = useTranslations("search");
  const current = useCurrentDomainIfReady();
  const router = useRouter();
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const q = String(new FormData(event.currentTarget).get("q") ?? "").trim();
    if (!q) return;
    router.push(current ? current.withDomain("/devices", { q }) : consolePath("/devices", { q }));
  };
  return (
    <search>
      <form aria-label={t("label")} onSubmit={submit}>
        <label className="sr-only" htmlFor="quick-search">
          {t("label")}
        </label>
        <input
          id="quick-search"
          name="q"
          type="search"
          placeholder={t("placeholder")}
          className="block w-56 rounded-md border border-slate-300 px-2.5 py-1.5 text-sm shadow-sm focus:border-sky-600 focus:outline-none focus:ring-1 focus:ring-sky-600"
        />
      </form>
    </search>
  );
}
