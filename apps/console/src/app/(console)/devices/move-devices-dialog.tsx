"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useId, useState } from "react";
import { ConfirmDialog } from "@/components/ui/confirm-dialog.tsx";
import { ErrorNotice } from "@/components/ui/error-notice.tsx";
import { useTRPC } from "@/trpc/client.tsx";

/** Picks the domain the selected devices go to; the move is audited per device. */
export function MoveDevicesDialog({
  deviceIds,
  onClose,
  onMoved,
}: {
  deviceIds: string[];
  onClose: () => void;
  onMoved: (count: number, domainName: string) => void;
}) {
  const t = useTranslations("devices.moveDialog");
  const trpc = useTRPC();
  const domains = useQuery(trpc.domains.list.queryOptions({}));
  const [target, setTarget] = useState("");
  const selectId = useId();
  const targets = (domains.data ?? []).filter((d) => d.role === "owner" || d.role === "operator");
  const move = useMutation(
    trpc.devices.move.mutationOptions({
      onSuccess: (result) => onMoved(result.moved, targets.find((d) => d.id === target)?.name ?? t("theDomain")),
    }),
  );
  return (
    <ConfirmDialog
      title={t("title", { count: deviceIds.length })}
      confirmLabel={t("confirm")}
      pending={move.isPending}
      onClose={onClose}
      onConfirm={() => {
        if (target) move.mutate({ deviceIds, tenantId: target });
      }}
    >
      <p>{t("explain")}</p>
      <div>
        <label htmlFor={selectId} className="block text-sm font-medium text-slate-700">
          {t("destination")}
        </label>
        <select
          id={selectId}
          value={target}
          onChange={(event) => setTarget(event.target.value)}
          className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm"
        >
          <option value="">{t("choose")}</option>
          {targets.map((domain) => (
            <option key={domain.id} value={domain.id}>
              {domain.path.join(" / ")}
            </option>
          ))}
        </select>
      </div>
      <ErrorNotice error={move.error} focus />
    </ConfirmDialog>
  );
}
