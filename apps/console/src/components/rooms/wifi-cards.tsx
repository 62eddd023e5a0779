"use client";

import { useQueries } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { createPortal } from "react-dom";
import { Button } from "@/components/ui/button.tsx";
import { useTRPC } from "@/trpc/client.tsx";

// While cards are on the page, printing shows them alone: the console around them is left out.
const PRINT_STYLE = `
@media print {
  body > *:not(.beacon-wifi-cards) { display: none !important; }
  .beacon-wifi-cards { display: block !important; }
  .beacon-wifi-card { break-inside: avoid; }
}`;

/**
 * Prints the guest's WiFi card of each checkout: hotel, room, network names and passphrase, in large type. The
 * cards are on the page only while this button prints, so that two such buttons never print each other's.
 */
export function PrintCardsButton({ checkoutIds, label }: { checkoutIds: readonly string[]; label?: string }) {
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
        {label ?? (checkoutIds.length === 1 ? "Print card" : `Print ${checkoutIds.length} cards`)}
      </Button>
      {printing &&
        createPortal(
          <div className="beacon-wifi-cards hidden bg-white text-black">
            <style>{PRINT_STYLE}</style>
            {cards.map((card, i) =>
              card.data ? (
                <article
                  key={checkoutIds[i]}
                  className="beacon-wifi-card mx-auto mb-8 max-w-md rounded-xl border-2 border-black p-8 font-sans"
                >
                  <p className="text-sm uppercase tracking-widest">{card.data.siteName}</p>
                  <h1 className="mt-1 text-3xl font-bold">Room {card.data.roomNumber}</h1>
                  <p className="mt-6 text-sm uppercase tracking-wide">WiFi network</p>
                  <p className="text-2xl font-semibold">{card.data.ssids.join(" / ") || "The room's network"}</p>
                  <p className="mt-4 text-sm uppercase tracking-wide">Password</p>
                  <p className="break-all font-mono text-3xl font-bold tracking-wider">{card.data.passphrase}</p>
                  <p className="mt-6 text-xs">
                    Issued {new Intl.DateTimeFormat(undefined, { dateStyle: "long" }).format(card.data.createdAt)}
                  </p>
                </article>
              ) : null,
            )}
          </div>,
          document.body,
        )}
    </>
  );
}
