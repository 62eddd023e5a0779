"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { signOut } from "next-auth/react";
import { useLocale, useTranslations } from "next-intl";
import { useId, useState, useTransition } from "react";
import { useCurrentDomainIfReady } from "@/components/domain/current-domain.tsx";
import { isLocale, LOCALE_NAMES, LOCALES } from "@/i18n/locales.ts";
import { useTRPC } from "@/trpc/client.tsx";

const AUTOMATIC = "auto";

/** The header's account controls: who is signed in, their console language, and signing out. */
export function AccountMenu({ user }: { user: { email: string; name: string } }) {
  const t = useTranslations("nav.account");
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const locale = useLocale();
  const current = useCurrentDomainIfReady();
  const selectId = useId();
  const [signingOut, setSigningOut] = useState(false);
  const [refreshing, startRefresh] = useTransition();
  const [chosen, setChosen] = useState<string | null>(null);
  const setLocale = useMutation(
    trpc.session.setLocale.mutationOptions({
      // The layout reads the language on the server: render the page again in the new one.
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.session.me.queryKey() });
        startRefresh(() => router.refresh());
      },
    }),
  );
  const saved = current ? (current.me.user.locale ?? AUTOMATIC) : null;
  const value = chosen ?? saved ?? AUTOMATIC;

  return (
    <div className="flex flex-wrap items-center gap-3">
      <span className="text-sm text-slate-600" title={user.email}>
        {user.name || user.email}
      </span>
      <label htmlFor={selectId} className="sr-only">
        {t("language")}
      </label>
      <select
        id={selectId}
        value={value}
        disabled={!current || setLocale.isPending || refreshing}
        title={t("languageHint")}
        onChange={(event) => {
          const next = event.target.value;
          setChosen(next);
          setLocale.mutate({ locale: isLocale(next) ? next : null });
        }}
        className="rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm text-slate-700"
      >
        <option value={AUTOMATIC}>
          {t("languageAutomatic", { language: isLocale(locale) ? LOCALE_NAMES[locale] : locale })}
        </option>
        {LOCALES.map((option) => (
          <option key={option} value={option} lang={option}>
            {LOCALE_NAMES[option]}
          </option>
        ))}
      </select>
      {setLocale.isError && (
        <span role="alert" className="text-sm text-red-700">
          {t("languageFailed")}
        </span>
      )}
      <button
        type="button"
        disabled={signingOut}
        onClick={async () => {
          setSigningOut(true);
          // Navigate ourselves: next-auth's own redirect would use NEXTAUTH_URL, which is optional here.
          await signOut({ redirect: false });
          window.location.assign("/signin");
        }}
        className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50"
      >
        {signingOut ? t("signingOut") : t("signOut")}
      </button>
    </div>
  );
}
