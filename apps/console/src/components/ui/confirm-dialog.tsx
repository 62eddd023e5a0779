"use client";

import { useTranslations } from "next-intl";
import { type ReactNode, useEffect, useId, useRef } from "react";
import { Button, type ButtonTone } from "./button.tsx";

/**
 * A modal question before a consequential action (native <dialog>: focus is trapped and Escape cancels).
 * Render it when needed and remove it on close.
 */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  tone = "primary",
  pending = false,
  confirmDisabled = false,
  onConfirm,
  onClose,
}: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  tone?: ButtonTone;
  pending?: boolean;
  /** Keeps the confirm button off until the user has done what the dialog asks (e.g. typed a name). */
  confirmDisabled?: boolean;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const t = useTranslations("common.actions");
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onClose={onClose}
      className="m-auto w-full max-w-md rounded-lg border border-slate-200 p-0 shadow-xl backdrop:bg-slate-900/40"
    >
      <div className="p-5">
        <h2 id={titleId} className="text-base font-semibold text-slate-900">
          {title}
        </h2>
        <div className="mt-2 space-y-3 text-sm text-slate-700">{children}</div>
      </div>
      <div className="flex justify-end gap-2 border-t border-slate-200 bg-slate-50 px-5 py-3">
        <Button onClick={() => ref.current?.close()} disabled={pending}>
          {t("cancel")}
        </Button>
        <Button tone={tone} onClick={onConfirm} disabled={pending || confirmDisabled}>
          {pending ? t("working") : confirmLabel}
        </Button>
      </div>
    </dialog>
  );
}
