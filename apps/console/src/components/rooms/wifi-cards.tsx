"use client";

import { useQueries } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { type ReactNode, useEffect, useState } from "react";
import { createPortal } from "react-dom";
import { Button } from "@/components/ui/button.tsx";
import { type CardTranslator, useGuestCardTranslators } from "@/i18n/guest-card-messages.tsx";
import { useTRPC } from "@/trpc/client.tsx";
import type { RouterOutputs } from "@/trpc/types.ts";

type Card = RouterOutputs["checkout"]["card"];

// While cards are on the page, printing shows them alone: the console around them is left out.
const PRINT_STYLE = `
@media print {
  body > *:not(.beacon-wifi-cards) { display: none !important; }
  .beacon-wifi-cards { display: block !important; }
  .beacon-wifi-card { break-inside: avoid; }
}`;

/**
 * Prints the guest's WiFi card of each checkout: hotel, room, network names and passphrase, in large type, in the
 * hotel's card languages side by side. The cards are on the page only while this button prints, so that two such
 * buttons never print each other's.
 */
export function PrintCardsButton({ checkoutIds, label }: { checkoutIds: readonly string[]; label?: string }) {
  const t = useTranslations("rooms.print");
  const trpc = useTRPC();
  const cards = useQueries({
    queries: checkoutIds.map((checkoutId) => trpc.checkout.card.queryOptions({ checkoutId })),
  });
  const [printing, setPrinting] = useState(false);
  useEffect(() => {
    if (!printing) return;
    const done = () => setPrinting(false);
    window.addEventListener("afterprint", done, { once: true });
    // The cards are in the document by now: effects run after React has committed them.
    window.print();
    return () => window.removeEventListener("afterprint", done);
  }, [printing]);
  const ready = cards.every((c) => c.data);
  const failed = cards.find((c) => c.error)?.error;
  return (
    <>
      <Button
        onClick={() => setPrinting(true)}
        disabled={!ready || printing}
        title={failed ? failed.message : undefined}
      >
        {label ?? (checkoutIds.length === 1 ? t("one") : t("many", { count: checkoutIds.length }))}
      </Button>
      {printing &&
        createPortal(
          <div className="beacon-wifi-cards hidden bg-white text-black">
            <style>{PRINT_STYLE}</style>
            {cards.map((card, i) => (card.data ? <GuestCard key={checkoutIds[i]} card={card.data} /> : null))}
          </div>,
          document.body,
        )}
    </>
  );
}

/** One card: each label in every language of the card, the first one first. */
export function GuestCard({ card }: { card: Card }) {
  const languages = useGuestCardTranslators(card.locales);
  const first = languages[0];
  if (!first) return null;
  const words = (render: (t: CardTranslator, locale: string) => string): ReactNode =>
    languages.map(({ locale, t }, index) => (
      <span key={locale} lang={locale} className={index === 0 ? "" : "font-normal text-neutral-600"}>
        {index > 0 && <span aria-hidden="true"> / </span>}
        {render(t, locale)}
      </span>
    ));
  return (
    <article
      lang={first.locale}
      aria-label={first.t("cardLabel", { number: card.roomNumber })}
      data-card-locales={card.locales.join(",")}
      className="beacon-wifi-card mx-auto mb-8 max-w-md rounded-xl border-2 border-black p-8 font-sans"
    >
      <p className="text-sm uppercase tracking-widest">{card.siteName}</p>
      <h1 className="mt-1 text-3xl font-bold">
        {words((t) => t("room"))} {card.roomNumber}
      </h1>
      <p className="mt-6 text-sm uppercase tracking-wide">{words((t) => t("network"))}</p>
      <p className="text-2xl font-semibold">{card.ssids.join(" / ") || words((t) => t("roomNetwork"))}</p>
      <p className="mt-4 text-sm uppercase tracking-wide">{words((t) => t("password"))}</p>
      <p className="break-all font-mono text-3xl font-bold tracking-wider">{card.passphrase}</p>
      <p className="mt-6 text-xs">
        {words((t, locale) =>
          t("issued", { date: new Intl.DateTimeFormat(locale, { dateStyle: "long" }).format(card.createdAt) }),
        )}
      </p>
    </article>
  );
}
