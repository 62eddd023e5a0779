"use client";

import { type AbstractIntlMessages, createTranslator } from "next-intl";
import { createContext, type ReactNode, useContext, useMemo } from "react";
import { isLocale, type Locale } from "./locales.ts";

/**
 * The guest card prints in the hotel's languages, whatever the console's: the `card` namespace of every language
 * is on the page for it (a few lines each).
 */
const Context = createContext<Partial<Record<Locale, AbstractIntlMessages>>>({});

export function GuestCardMessages({
  messages,
  children,
}: {
  messages: Partial<Record<Locale, AbstractIntlMessages>>;
  children: ReactNode;
}) {
  return <Context.Provider value={messages}>{children}</Context.Provider>;
}

export type CardTranslator = (key: string, values?: Record<string, string | number | Date>) => string;

/** A translator of the `card` namespace per language asked for (English stands in for one that is missing). */
export function useGuestCardTranslators(locales: readonly string[]): { locale: Locale; t: CardTranslator }[] {
  const all = useContext(Context);
  return useMemo(
    () =>
      locales.filter(isLocale).map((locale) => {
        const messages = all[locale] ?? all.en ?? {};
        const t = createTranslator({ locale, messages: { card: messages }, namespace: "card" });
        return { locale, t: t as unknown as CardTranslator };
      }),
    [all, locales],
  );
}
