"use client";

import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { ConfirmDialog } from "@/components/ui/confirm-dialog.tsx";
import { ErrorNotice } from "@/components/ui/error-notice.tsx";
import { TextField } from "@/components/ui/field.tsx";
import { useTRPC } from "@/trpc/client.tsx";
import type { RoomCell } from "./room-states.ts";

/** Pre-registers the device that belongs in a room: it is provisioned when it first calls Beacon. */
export function RegisterDeviceDialog({
  room,
  onClose,
  onRegistered,
}: {
  room: RoomCell;
  onClose: () => void;
  onRegistered: (message: string) => void;
}) {
  const t = useTranslations("rooms.register");
  const trpc = useTRPC();
  const [serialNumber, setSerialNumber] = useState("");
  const [macAddress, setMacAddress] = useState("");
  const [loid, setLoid] = useState("");
  const replacing = room.assignment !== null;
  const register = useMutation(
    trpc.provisioning.preRegister.mutationOptions({
      onSuccess: (made) =>
        onRegistered(
          made.provisioned === "provisioned"
            ? t("provisionedNow", { number: room.number })
            : t("waiting", { number: room.number }),
        ),
    }),
  );
  const given = Boolean(serialNumber.trim() || macAddress.trim() || loid.trim());
  return (
    <ConfirmDialog
      title={t("title", { number: room.number })}
      confirmLabel={replacing ? t("replace") : t("register")}
      pending={register.isPending}
      confirmDisabled={!given}
      onClose={onClose}
      onConfirm={() =>
        register.mutate({
          place: { roomId: room.id },
          serialNumber: serialNumber.trim() || undefined,
          macAddress: macAddress.trim() || undefined,
          loid: loid.trim() || undefined,
          replace: replacing,
        })
      }
    >
      <p>{t("explain")}</p>
      {replacing && (
        <p className="rounded-md bg-amber-50 px-3 py-2 text-amber-900">
          {t("replacing", {
            device: room.assignment?.serialNumber ?? room.assignment?.macAddress ?? room.assignment?.loid ?? "",
          })}
        </p>
      )}
      <TextField label={t("serial")} value={serialNumber} onChange={(e) => setSerialNumber(e.target.value)} />
      <TextField label={t("mac")} value={macAddress} onChange={(e) => setMacAddress(e.target.value)} />
      <TextField label={t("loid")} value={loid} onChange={(e) => setLoid(e.target.value)} />
      <ErrorNotice error={register.error} focus />
    </ConfirmDialog>
  );
}
