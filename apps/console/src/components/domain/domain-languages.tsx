"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { type FormEvent, useState } from "react";
import { Button } from "@/components/ui/button.tsx";
import { ErrorNotice, Notice } from "@/components/ui/error-notice.tsx";
import { SelectField } from "@/components/ui/field.tsx";
import { isLocale, LOCALE_NAMES, LOCALES, type Locale } from "@/i18n/locales.ts";
import { useTRPC } from "@/trpc/client.tsx";
import type { CurrentDomain } from "./current-domain.tsx";

const BROWSER = "browser";

/** A domain's console default language and its guest card's languages, for those who manage the domain. */
export function DomainLanguages({ current }: { current: CurrentDomain }) {
  const t = useTranslations("domains.languages");
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const { domain } = current;
  const [defaultLocale, setDefaultLocale] = useState<string>(domain.defaultLocale ?? BROWSER);
  const [card, setCard] = useState<ReadonlySet<Locale>>(new Set(domain.cardLocales));
  const [saved, setSaved] = useState(false);
  const save = useMutation(
    trpc.domains.setLanguages.mutationOptions({
      onSuccess: async () => {
        setSaved(true);
        await queryClient.invalidateQueries({ queryKey: trpc.domains.get.queryKey({ id: domain.id }) });
        // The console's language may follow the new default: the layout reads it on the server.
        router.refresh();
      },
    }),
  );
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const chosenDefault = isLocale(defaultLocale) ? defaultLocale : null;
    // The console's language first on the card, then the others in their usual order.
    const cardLocales = LOCALES.filter((l) => card.has(l)).sort(
      (a, b) => Number(b === chosenDefault) - Number(a === chosenDefault),
    );
    setSaved(false);
    save.mutate({ domainId: domain.id, defaultLocale: chosenDefault, cardLocales });
  };
  return (
    <form
      onSubmit={submit}
      aria-labelledby="domain-languages-heading"
      className="mt-8 max-w-2xl space-y-4 rounded-lg border border-slate-200 bg-white p-4"
    >
      <div>
        <h2 id="domain-languages-heading" className="text-base font-semibold">
          {t("title", { domain: domain.name })}
        </h2>
        <p className="mt-1 text-sm text-slate-600">{t("explain")}</p>
      </div>
      <SelectField
        label={t("consoleDefault")}
        value={defaultLocale}
        onChange={(event) => setDefaultLocale(event.target.value)}
        options={[
          { value: BROWSER, label: t("browser") },
          ...LOCALES.map((l) => ({ value: l, label: LOCALE_NAMES[l] })),
        ]}
      />
      <fieldset>
        <legend className="text-sm font-medium text-slate-700">{t("card")}</legend>
        <div className="mt-1 flex gap-4">
          {LOCALES.map((l) => (
            <label key={l} className="flex items-center gap-1.5 text-sm">
              <input
                type="checkbox"
                checked={card.has(l)}
                onChange={(event) => {
                  const next = new Set(card);
                  if (event.target.checked) next.add(l);
                  else next.delete(l);
                  setCard(next);
                }}
              />
              <span lang={l}>{LOCALE_NAMES[l]}</span>
            </label>
          ))}
        </div>
        <p className="mt-1 text-xs text-slate-500">{t("cardHint")}</p>
      </fieldset>
      {card.size === 0 && <p className="text-sm text-amber-800">{t("chooseOne")}</p>}
      <ErrorNotice error={save.error} focus />
      {saved && <Notice>{t("saved", { domain: domain.name })}</Notice>}
      <Button type="submit" tone="primary" disabled={save.isPending || card.size === 0}>
        {save.isPending ? "…" : t("save")}
      </Button>
    </form>
  );
}
