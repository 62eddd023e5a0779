"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { Button } from "@/components/ui/button.tsx";
import { ConfirmDialog } from "@/components/ui/confirm-dialog.tsx";
import { ErrorNotice } from "@/components/ui/error-notice.tsx";
import { useTRPC } from "@/trpc/client.tsx";
import type { Device } from "./device-view.tsx";

type Pending = "reboot" | "factoryReset" | null;

/** Reboot, factory reset and full refresh, as far as the viewer's role on the device's domain allows. */
export function DeviceActions({ device, onQueued }: { device: Device; onQueued: (message: string) => void }) {
  const t = useTranslations("device");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState<Pending>(null);
  const [typedSerial, setTypedSerial] = useState("");
  const act = useMutation(
    trpc.devices.act.mutationOptions({
      onSuccess: (_, variables) => {
        setConfirming(null);
        setTypedSerial("");
        const what = t(`taskKinds.${variables.action.kind}`);
        onQueued(t("actions.queued", { what, serial: device.serialNumber }));
        void queryClient.invalidateQueries({ queryKey: trpc.devices.pathKey() });
      },
    }),
  );
  const can = (permission: string) => device.permissions.some((p) => p === permission);
  if (!can("device.reboot") && !can("device.refresh") && !can("device.factoryReset")) return null;

  return (
    <div className="flex flex-wrap items-center gap-2">
      {can("device.refresh") && (
        <Button
          disabled={act.isPending}
          onClick={() => act.mutate({ deviceId: device.id, action: { kind: "refresh", path: "" } })}
        >
          {t("actions.refreshAll")}
        </Button>
      )}
      {can("device.reboot") && (
        <Button tone="primary" onClick={() => setConfirming("reboot")}>
          {t("actions.reboot")}
        </Button>
      )}
      {can("device.factoryReset") && (
        <Button tone="danger" onClick={() => setConfirming("factoryReset")}>
          {t("actions.factoryReset")}
        </Button>
      )}
      {!confirming && <ErrorNotice error={act.error} focus />}
      {confirming === "reboot" && (
        <ConfirmDialog
          title={t("actions.rebootTitle", { serial: device.serialNumber })}
          confirmLabel={t("actions.reboot")}
          pending={act.isPending}
          onClose={() => setConfirming(null)}
          onConfirm={() => act.mutate({ deviceId: device.id, action: { kind: "reboot" } })}
        >
          <p>{t("actions.rebootExplain")}</p>
          <ErrorNotice error={act.error} focus />
        </ConfirmDialog>
      )}
      {confirming === "factoryReset" && (
        <ConfirmDialog
          title={t("actions.resetTitle", { serial: device.serialNumber })}
          confirmLabel={t("actions.factoryReset")}
          tone="danger"
          pending={act.isPending}
          confirmDisabled={typedSerial.trim() !== device.serialNumber}
          onClose={() => setConfirming(null)}
          onConfirm={() => act.mutate({ deviceId: device.id, action: { kind: "factoryReset" } })}
        >
          <p>{t("actions.resetExplain")}</p>
          <label className="block text-sm font-medium text-slate-700">
            {t.rich("actions.typeSerial", {
              serial: () => <span className="font-mono">{device.serialNumber}</span>,
            })}
            <input
              value={typedSerial}
              onChange={(event) => setTypedSerial(event.target.value)}
              autoComplete="off"
              className="mt-1 block w-full rounded-md border border-slate-300 px-2.5 py-1.5 font-mono text-sm"
            />
          </label>
          <ErrorNotice error={act.error} focus />
        </ConfirmDialog>
      )}
    </div>
  );
}
