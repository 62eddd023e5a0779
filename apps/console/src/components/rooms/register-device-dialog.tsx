"use client";

import { useMutation } from "@tanstack/react-query";
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
            ? `The device had called Beacon already: room ${room.number} is provisioned now.`
            : `Room ${room.number} waits for its device; it is provisioned when it first calls Beacon.`,
        ),
    }),
  );
  const given = Boolean(serialNumber.trim() || macAddress.trim() || loid.trim());
  return (
    <ConfirmDialog
      title={`Device of room ${room.number}`}
      confirmLabel={replacing ? "Replace the device" : "Register"}
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
      <p>Give at least one of the device's serial number, MAC address or LOID, as on its label.</p>
      {replacing && (
        <p className="rounded-md bg-amber-50 px-3 py-2 text-amber-900">
          The room has a device registered already (
          {room.assignment?.serialNumber ?? room.assignment?.macAddress ?? room.assignment?.loid}
          ). Registering another replaces it.
        </p>
      )}
      <TextField label="Serial number" value={serialNumber} onChange={(e) => setSerialNumber(e.target.value)} />
      <TextField label="MAC address" value={macAddress} onChange={(e) => setMacAddress(e.target.value)} />
      <TextField label="LOID" value={loid} onChange={(e) => setLoid(e.target.value)} />
      <ErrorNotice error={register.error} focus />
    </ConfirmDialog>
  );
}
