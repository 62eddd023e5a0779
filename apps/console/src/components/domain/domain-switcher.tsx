"use client";

import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useDeferredValue, useEffect, useId, useRef, useState } from "react";
import { useTRPC } from "@/trpc/client.tsx";
import type { CurrentDomain } from "./current-domain.tsx";

/** Finds a domain by name among those the user may reach, and makes it the current one. */
export function DomainSwitcher({ current }: { current: CurrentDomain }) {
  const t = useTranslations();
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState("");
  const deferredQuery = useDeferredValue(query.trim());
  const panelId = useId();
  const searchRef = useRef<HTMLInputElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const rootRef = useRef<HTMLDivElement>(null);
  const domains = useQuery(
    trpc.domains.list.queryOptions({ query: deferredQuery || undefined, limit: 25 }, { enabled: open }),
  );

  useEffect(() => {
    if (!open) return;
    searchRef.current?.focus();
    const closeOutside = (event: MouseEvent) => {
      if (!rootRef.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener("mousedown", closeOutside);
    return () => document.removeEventListener("mousedown", closeOutside);
  }, [open]);

  const close = () => {
    setOpen(false);
    buttonRef.current?.focus();
  };

  return (
    <div ref={rootRef} className="relative">
      <button
        ref={buttonRef}
        type="button"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((o) => !o)}
        className="inline-flex items-center gap-2 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 shadow-sm hover:bg-slate-50"
      >
        <span className="text-slate-500">{t("nav.domain.label")}</span>
        <span className="max-w-48 truncate">{current.domain.name}</span>
        <span aria-hidden="true">▾</span>
      </button>
      {open && (
        <section
          id={panelId}
          aria-label={t("nav.domain.switch")}
          onKeyDown={(event) => {
            if (event.key === "Escape") close();
          }}
          className="absolute left-0 z-20 mt-2 w-96 max-w-[90vw] rounded-lg border border-slate-200 bg-white p-3 shadow-lg"
        >
          <label className="block text-sm font-medium text-slate-700">
            {t("nav.domain.find")}
            <input
              ref={searchRef}
              type="search"
              value={query}
              onChange={(event) => setQuery(event.target.value)}
              placeholder={t("nav.domain.placeholder")}
              className="mt-1 block w-full rounded-md border border-slate-300 px-2.5 py-1.5 text-sm font-normal focus:border-sky-600 focus:outline-none focus:ring-1 focus:ring-sky-600"
            />
          </label>
          <ul className="mt-2 max-h-80 overflow-y-auto" aria-label={t("nav.domain.list")}>
            {domains.isPending && <li className="px-2 py-1.5 text-sm text-slate-500">{t("common.state.searching")}</li>}
            {domains.data?.length === 0 && (
              <li className="px-2 py-1.5 text-sm text-slate-500">{t("nav.domain.noMatch")}</li>
            )}
            {domains.data?.map((domain) => (
              <li key={domain.id}>
                <button
                  type="button"
                  aria-current={domain.id === current.domain.id ? "true" : undefined}
                  onClick={() => {
                    setOpen(false);
                    current.switchTo(domain.id);
                  }}
                  className="block w-full rounded px-2 py-1.5 text-left text-sm hover:bg-sky-50 aria-[current=true]:bg-sky-100"
                >
                  <span className="font-medium text-slate-900">{domain.name}</span>
                  {domain.path.length > 1 && (
                    <span className="block truncate text-xs text-slate-500">
                      {domain.path.slice(0, -1).join(" / ")}
                    </span>
                  )}
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
