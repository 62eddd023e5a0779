"use client";

import { useRouter } from "next/navigation";
import type { FormEvent } from "react";
import { consolePath, useCurrentDomainIfReady } from "@/components/domain/current-domain.tsx";

/**
 * The header's search: a room number, a part of a serial, a MAC or IP address, a subscriber id. Opens the devices
 * list of the current domain searched for it, where the room or line of each match shows.
 */
export function QuickSearch() {
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
      <form aria-label="Find a room or device" onSubmit={submit}>
        <label className="sr-only" htmlFor="quick-search">
          Find a room or device
        </label>
        <input
          id="quick-search"
          name="q"
          type="search"
          placeholder="Find a room or device…"
          className="block w-56 rounded-md border border-slate-300 px-2.5 py-1.5 text-sm shadow-sm focus:border-sky-600 focus:outline-none focus:ring-1 focus:ring-sky-600"
        />
      </form>
    </search>
  );
}
