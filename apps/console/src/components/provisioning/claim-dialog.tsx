"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useDeferredValue, useState } from "react";
import { useCurrentDomain } from "@/components/domain/current-domain.tsx";
import { allRooms } from "@/components/rooms/room-states.ts";
import { ConfirmDialog } from "@/components/ui/confirm-dialog.tsx";
import { ErrorNotice } from "@/components/ui/error-notice.tsx";
import { SelectField, TextField } from "@/components/ui/field.tsx";
import { useTRPC } from "@/trpc/client.tsx";

const SITE_KINDS = new Set(["hotel", "site", "business"]);

/** Takes a device from the inbox into a room or onto a subscriber's line; it is provisioned at once. */
export function ClaimDialog({
  device,
  onClose,
  onClaimed,
}: {
  device: { id: string; serialNumber: string };
  onClose: () => void;
  onClaimed: (message: string) => void;
}) {
  const t = useTranslations("provisioning.claim");
  const tCommon = useTranslations("common.state");
  const current = useCurrentDomain();
  const trpc = useTRPC();
  const [kind, setKind] = useState<"room" | "line">("room");
  const domains = useQuery(trpc.domains.list.queryOptions({ underId: current.domain.id }));
  const sites = (domains.data ?? []).filter((d) => SITE_KINDS.has(d.kind));
  const [siteId, setSiteId] = useState("");
  const site = siteId || sites[0]?.id || "";
  const grid = useQuery(trpc.sites.grid.queryOptions({ siteId: site }, { enabled: kind === "room" && Boolean(site) }));
  const rooms = grid.data ? allRooms(grid.data) : [];
  const [roomId, setRoomId] = useState("");
  const room = rooms.find((r) => r.id === roomId) ?? rooms.find((r) => !r.device) ?? rooms[0];

  const [query, setQuery] = useState("");
  const deferred = useDeferredValue(query.trim());
  const subscribers = useQuery(
    trpc.provisioning.subscribers.queryOptions(
      { tenantId: current.domain.id, query: deferred, limit: 10 },
      { enabled: kind === "line" && deferred.length > 0 },
    ),
  );
  const lines = (subscribers.data ?? []).flatMap((s) =>
    s.lines
      .filter((l) => !l.terminatedAt)
      .map((l) => ({
        id: l.id,
        occupied: l.assignment !== null,
        label: ((text: string) => (l.device ? t("lineHas", { line: text, serial: l.device.serialNumber }) : text))(
          t("lineLabel", { subscriber: s.externalId, name: s.name, number: l.number }),
        ),
      })),
  );
  const [lineId, setLineId] = useState("");
  const line = lines.find((l) => l.id === lineId) ?? lines[0];

  const replace = kind === "room" ? Boolean(room?.assignment) : Boolean(line?.occupied);
  const claim = useMutation(
    trpc.provisioning.claim.mutationOptions({
      onSuccess: () =>
        onClaimed(
          kind === "room"
            ? t("claimedRoom", { serial: device.serialNumber, number: room?.number ?? "" })
            : t("claimedLine", { serial: device.serialNumber, line: line?.label ?? "" }),
        ),
    }),
  );
  const target = kind === "room" ? (room ? { roomId: room.id } : null) : line ? { lineId: line.id } : null;

  return (
    <ConfirmDialog
      title={t("title", { serial: device.serialNumber })}
      confirmLabel={replace ? t("claimReplace") : t("claim")}
      pending={claim.isPending}
      confirmDisabled={!target}
      onClose={onClose}
      onConfirm={() => target && claim.mutate({ deviceId: device.id, place: target, replace })}
    >
      <fieldset className="flex gap-4">
        <legend className="sr-only">{t("into")}</legend>
        <label className="flex items-center gap-1.5">
          <input type="radio" name="claim-kind" checked={kind === "room"} onChange={() => setKind("room")} />
          {t("room")}
        </label>
        <label className="flex items-center gap-1.5">
          <input type="radio" name="claim-kind" checked={kind === "line"} onChange={() => setKind("line")} />
          {t("line")}
        </label>
      </fieldset>
      {kind === "room" ? (
        <>
          <SelectField
            label={t("site")}
            value={site}
            onChange={(e) => {
              setSiteId(e.target.value);
              setRoomId("");
            }}
            options={
              sites.length
                ? sites.map((s) => ({ value: s.id, label: s.path.join(" / ") }))
                : [{ value: "", label: domains.isPending ? tCommon("loading") : t("noSite") }]
            }
          />
          <SelectField
            label={t("roomField")}
            value={room?.id ?? ""}
            onChange={(e) => setRoomId(e.target.value)}
            options={
              rooms.length
                ? rooms.map((r) => ({
                    value: r.id,
                    label: r.device
                      ? t("hasDevice", { number: r.number, serial: r.device.serialNumber })
                      : r.assignment
                        ? t("waitsOther", { number: r.number })
                        : r.number,
                  }))
                : [{ value: "", label: grid.isFetching ? tCommon("loading") : t("noRooms") }]
            }
          />
        </>
      ) : (
        <>
          <TextField
            label={t("findSubscriber")}
            type="search"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            placeholder={t("subscriberPlaceholder")}
          />
          {lines.length > 0 && (
            <SelectField
              label={t("lineField")}
              value={line?.id ?? ""}
              onChange={(e) => setLineId(e.target.value)}
              options={lines.map((l) => ({ value: l.id, label: l.label }))}
            />
          )}
          {subscribers.data && lines.length === 0 && <p className="text-slate-600">{t("noLine")}</p>}
        </>
      )}
      {replace && <p className="rounded-md bg-amber-50 px-3 py-2 text-amber-900">{t("replaceWarning")}</p>}
      <ErrorNotice error={grid.error ?? subscribers.error ?? claim.error} focus />
    </ConfirmDialog>
  );
}
