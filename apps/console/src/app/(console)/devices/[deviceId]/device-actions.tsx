"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button.tsx";
import { ConfirmDialog } from "@/components/ui/confirm-dialog.tsx";
import { ErrorNotice } from "@/components/ui/error-notice.tsx";
import { useTRPC } from "@/trpc/client.tsx";
import type { Device } from "./device-view.tsx";

type Pending = "reboot" | "factoryReset" | null;

/** Reboot, factory reset and full refresh, as far as the viewer's role on the device's domain allows. */
export function DeviceActions({ device, onQueued }: { device: Device; onQueued: (message: string) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState<Pending>(null);
  const [typedSerial, setTypedSerial] = useState("");
  const act = useMutation(
    trpc.devices.act.mutationOptions({
      onSuccess: (_, variables) => {
        setConfirming(null);
        setTypedSerial("");
        const what = {
          reboot: "Reboot",
          factoryReset: "Factory reset",
          refresh: "Refresh",
          readNetworkMap: "Network read",
          setParameterValues: "Change",
        }[variables.action.kind];
        onQueued(`${what} queued for ${device.serialNumber}. It runs at the device's next session.`);
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
          Refresh all parameters
        </Button>
      )}
      {can("device.reboot") && (
        <Button tone="primary" onClick={() => setConfirming("reboot")}>
          Reboot
        </Button>
      )}
      {can("device.factoryReset") && (
        <Button tone="danger" onClick={() => setConfirming("factoryReset")}>
          Factory reset
        </Button>
      )}
      {!confirming && <ErrorNotice error={act.error} focus />}
      {confirming === "reboot" && (
        <ConfirmDialog
          title={`Reboot ${device.serialNumber}?`}
          confirmLabel="Reboot"
          pending={act.isPending}
          onClose={() => setConfirming(null)}
          onConfirm={() => act.mutate({ deviceId: device.id, action: { kind: "reboot" } })}
        >
          <p>
            The device restarts at its next session with Beacon. People using it lose connectivity for a minute or two.
          </p>
          <ErrorNotice error={act.error} focus />
        </ConfirmDialog>
      )}
      {confirming === "factoryReset" && (
        <ConfirmDialog
          title={`Factory reset ${device.serialNumber}?`}
          confirmLabel="Factory reset"
          tone="danger"
          pending={act.isPending}
          confirmDisabled={typedSerial.trim() !== device.serialNumber}
          onClose={() => setConfirming(null)}
          onConfirm={() => act.mutate({ deviceId: device.id, action: { kind: "factoryReset" } })}
        >
          <p>
            All of the device's settings are erased, including WiFi names and passwords. It comes back as new and
            contacts Beacon with a BOOTSTRAP event. This cannot be undone.
          </p>
          <label className="block text-sm font-medium text-slate-700">
            Type the serial number <span className="font-mono">{device.serialNumber}</span> to confirm
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
