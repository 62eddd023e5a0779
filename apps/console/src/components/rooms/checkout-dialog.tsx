"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useEffect, useId, useRef, useState } from "react";
import { CheckoutNetworks } from "@/components/networks/checkout-networks.tsx";
import { sentence } from "@/components/provisioning/csv-import.tsx";
import { Button } from "@/components/ui/button.tsx";
import { ErrorNotice } from "@/components/ui/error-notice.tsx";
import { useTRPC } from "@/trpc/client.tsx";
import { PrintCardsButton } from "./wifi-cards.tsx";

export interface CheckoutRoom {
  id: string;
  number: string;
}

interface Outcome {
  roomId: string;
  number: string;
  checkout: { id: string; passphrase: string | null } | null;
  problem: string | null;
}

/**
 * Checks one room or a selection out: asks first, then shows each new passphrase with its live state and a card
 * to print for the next guest.
 */
export function CheckoutDialog({
  rooms,
  onClose,
  onDone,
}: {
  rooms: readonly CheckoutRoom[];
  onClose: () => void;
  onDone?: () => void;
}) {
  const t = useTranslations("rooms.checkout");
  const tCommon = useTranslations("common.actions");
  const trpc = useTRPC();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [reboot, setReboot] = useState(false);
  const [outcomes, setOutcomes] = useState<Outcome[] | null>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);

  const numberOf = (roomId: string) => rooms.find((r) => r.id === roomId)?.number ?? "";
  const one = useMutation(
    trpc.checkout.room.mutationOptions({
      onSuccess: (checkout) => {
        setOutcomes([{ roomId: checkout.roomId, number: checkout.roomNumber, checkout, problem: null }]);
        onDone?.();
      },
    }),
  );
  const many = useMutation(
    trpc.checkout.rooms.mutationOptions({
      onSuccess: (results) => {
        setOutcomes(results.map((r) => ({ ...r, number: numberOf(r.roomId) })));
        onDone?.();
      },
    }),
  );
  const pending = one.isPending || many.isPending;
  const confirm = () => {
    if (rooms.length === 1) one.mutate({ roomId: rooms[0]!.id, reboot });
    else many.mutate({ roomIds: rooms.map((r) => r.id), reboot });
  };

  const count = { count: rooms.length, number: rooms[0]?.number ?? "" };
  const title = outcomes ? t("doneTitle", count) : t("confirmTitle", count);
  const done = outcomes?.flatMap((o) => (o.checkout ? [o.checkout.id] : [])) ?? [];

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onClose={onClose}
      className="m-auto w-full max-w-lg rounded-lg border border-slate-200 p-0 shadow-xl backdrop:bg-slate-900/40"
    >
      <div className="p-5">
        <h2 id={titleId} className="text-base font-semibold text-slate-900">
          {title}
        </h2>
        {!outcomes ? (
          <div className="mt-2 space-y-3 text-sm text-slate-700">
            <p>{t("explain", count)}</p>
            {rooms.length > 1 && (
              <p className="text-slate-600">{t("roomList", { rooms: rooms.map((r) => r.number).join(", ") })}</p>
            )}
            <label className="flex items-center gap-2">
              <input type="checkbox" checked={reboot} onChange={(event) => setReboot(event.target.checked)} />
              {t("reboot", count)}
            </label>
            <ErrorNotice error={one.error ?? many.error} focus />
          </div>
        ) : (
          <ul className="mt-3 space-y-3">
            {outcomes.map((outcome) => (
              <li key={outcome.roomId} className="rounded-md border border-slate-200 p-3 text-sm">
                <p className="font-medium text-slate-900">{t("room", { number: outcome.number })}</p>
                {outcome.checkout ? (
                  <>
                    {outcome.checkout.passphrase && (
                      <p className="mt-1">
                        {t("newPassphrase")}{" "}
                        <output className="select-all break-all font-mono text-lg font-semibold tracking-wide">
                          {outcome.checkout.passphrase}
                        </output>
                      </p>
                    )}
                    <CheckoutProgress checkoutId={outcome.checkout.id} />
                  </>
                ) : (
                  <p role="alert" className="mt-1 text-red-800">
                    {outcome.problem ? sentence(outcome.problem) : t("failed")}
                  </p>
                )}
              </li>
            ))}
          </ul>
        )}
      </div>
      <div className="flex justify-end gap-2 border-t border-slate-200 bg-slate-50 px-5 py-3">
        {!outcomes ? (
          <>
            <Button onClick={() => ref.current?.close()} disabled={pending}>
              {tCommon("cancel")}
            </Button>
            <Button tone="danger" onClick={confirm} disabled={pending}>
              {pending ? t("checkingOut") : t("confirm", count)}
            </Button>
          </>
        ) : (
          <>
            {done.length > 0 && <PrintCardsButton checkoutIds={done} />}
            <Button tone="primary" onClick={() => ref.current?.close()}>
              {tCommon("close")}
            </Button>
          </>
        )}
      </div>
    </dialog>
  );
}

/** Pending until the device has run the checkout's tasks; polled so that the desk sees it finish. */
export function CheckoutProgress({ checkoutId }: { checkoutId: string }) {
  const t = useTranslations("rooms.checkout");
  const trpc = useTRPC();
  const checkout = useQuery(
    trpc.checkout.get.queryOptions(
      { checkoutId },
      { refetchInterval: (query) => (query.state.data?.state === "pending" ? 2000 : false) },
    ),
  );
  const state = checkout.data?.state;
  return (
    <div className="mt-1 text-slate-700" aria-live="polite">
      {state === "done" && <span className="font-medium text-emerald-800">{t("progressDone")}</span>}
      {state === "incomplete" && <span className="font-medium text-amber-800">{t("progressIncomplete")}</span>}
      {state === "pending" && (
        <span>
          {t.rich("progressPending", {
            pending: (chunks) => <span className="font-medium text-sky-800">{chunks}</span>,
          })}
        </span>
      )}
      {state === "failed" && (
        <span className="font-medium text-red-800">
          {t("progressFailed", {
            reason: checkout.data?.problem ? sentence(checkout.data.problem) : t("unknownReason"),
          })}
        </span>
      )}
      {checkout.error && <ErrorNotice error={checkout.error} />}
      {checkout.data && <CheckoutNetworks networks={checkout.data.networks} />}
    </div>
  );
}
