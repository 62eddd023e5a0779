"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { useCurrentDomain } from "@/components/domain/current-domain.tsx";
import { LocalTime } from "@/components/local-time.tsx";

import { Button } from "@/components/ui/button.tsx";
import {
  networksLeft,
  ROOM_STATE_ORDER,
  ROOM_STATES,
  type RoomCell,
  type RoomGrid,
  roomStateKey,
} from "./room-states.ts";

export interface RoomActions {
  selected: ReadonlySet<string>;
  onToggle: (room: RoomCell) => void;
  onCheckout?: (rooms: RoomCell[]) => void;
  onRegister?: (room: RoomCell) => void;
}

/** Every room of a site as a tile with its device's state, by building and floor. */
export function RoomGridView({ grid, actions }: { grid: RoomGrid; actions: RoomActions }) {
  const t = useTranslations("rooms.grid");
  const floorTitle = (name: string) => (/^-?\d+$/.test(name) ? t("floorNumber", { name }) : name);
  const floors = grid.buildings.flatMap((b) =>
    b.floors.map((f) => ({
      key: f.id,
      title: grid.buildings.length > 1 ? `${b.name} · ${floorTitle(f.name)}` : floorTitle(f.name),
      rooms: f.rooms,
    })),
  );
  if (grid.otherRooms.length) floors.push({ key: "none", title: t("noFloorRooms"), rooms: grid.otherRooms });
  return (
    <div className="space-y-6">
      <RoomLegend counts={grid.counts} />
      {floors.map((floor) => (
        <section key={floor.key} aria-label={floor.title}>
          <h3 className="mb-2 text-sm font-semibold text-slate-700">
            {floor.title}{" "}
            <span className="font-normal text-slate-500">· {t("floorCount", { count: floor.rooms.length })}</span>
          </h3>
          {floor.rooms.length === 0 ? (
            <p className="text-sm text-slate-500">{t("emptyFloor")}</p>
          ) : (
            <ul className="grid grid-cols-[repeat(auto-fill,minmax(9.5rem,1fr))] gap-2">
              {floor.rooms.map((room) => (
                <RoomTile key={room.id} room={room} actions={actions} />
              ))}
            </ul>
          )}
        </section>
      ))}
    </div>
  );
}

export function RoomLegend({ counts }: { counts: RoomGrid["counts"] }) {
  const t = useTranslations("rooms");
  return (
    <ul aria-label={t("grid.legend")} className="flex flex-wrap gap-2 text-xs">
      {ROOM_STATE_ORDER.map((state) => (
        <li
          key={state}
          className={`inline-flex items-center gap-1.5 rounded-full border-2 px-2.5 py-0.5 font-medium ${ROOM_STATES[state].swatch}`}
        >
          <span aria-hidden="true">{ROOM_STATES[state].mark}</span>
          {t(`states.${state}`)}
          <span className="tabular-nums text-slate-600">{counts[state]}</span>
        </li>
      ))}
    </ul>
  );
}

function RoomTile({ room, actions }: { room: RoomCell; actions: RoomActions }) {
  const t = useTranslations("rooms");
  const tNetworks = useTranslations("networks");
  const current = useCurrentDomain();
  const style = ROOM_STATES[room.state];
  const text = t(`states.${roomStateKey(room)}`);
  const selectable = Boolean(actions.onCheckout && room.device);
  const selected = actions.selected.has(room.id);
  const identifier =
    room.device?.serialNumber ?? room.assignment?.serialNumber ?? room.assignment?.macAddress ?? room.assignment?.loid;
  const heading = (
    <>
      <span className="block text-lg font-semibold leading-tight">{room.number}</span>
      <span className="flex items-center gap-1 text-xs font-medium">
        <span aria-hidden="true">{style.mark}</span>
        {text}
      </span>
    </>
  );
  return (
    <li
      data-room={room.number}
      data-state={room.state}
      className={`flex min-h-28 flex-col justify-between gap-1 rounded-lg border-2 p-2 ${style.tile} ${selected ? "ring-2 ring-sky-600 ring-offset-1" : ""}`}
    >
      <div className="flex items-start justify-between gap-1">
        {room.device ? (
          <Link
            href={current.withDomain(`/devices/${room.device.id}`)}
            aria-label={t("grid.openDevice", { number: room.number, state: text, serial: room.device.serialNumber })}
            className="min-w-0 flex-1 rounded hover:underline"
          >
            {heading}
          </Link>
        ) : (
          <div className="min-w-0 flex-1">{heading}</div>
        )}
        {selectable && (
          <input
            type="checkbox"
            aria-label={t("grid.select", { number: room.number })}
            checked={selected}
            onChange={() => actions.onToggle(room)}
            className="mt-1 size-4"
          />
        )}
      </div>
      <div className="min-w-0 text-xs">
        {room.name && <p className="truncate">{room.name}</p>}
        {identifier && <p className="truncate font-mono opacity-80">{identifier}</p>}
        {room.state === "pending-checkout" && room.pendingCheckout && (
          <p className="opacity-80">
            {t.rich("grid.since", { time: () => <LocalTime value={room.pendingCheckout?.createdAt} relative /> })}
          </p>
        )}
        {room.state === "checkout-incomplete" &&
          networksLeft(room).map((left) => (
            <p key={left ?? ""} className="line-clamp-3" title={left ?? undefined} data-network-left>
              {t("grid.notUpdated", { network: left ?? t("grid.checkoutDidNotReach") })}
            </p>
          ))}
        {room.networksRecognised === false && (
          <p className="font-medium" title={tNetworks("notRecognisedHelp")} data-networks-not-recognised>
            {tNetworks("notRecognised")}
          </p>
        )}
        {room.state === "fault" && room.fault && (
          <p className="truncate" title={room.fault.message ?? undefined}>
            {room.fault.kind}: {room.fault.code ?? ""} {room.fault.message}
          </p>
        )}
        {room.state === "offline" && room.device && (
          <p className="opacity-80">
            {t.rich("grid.seen", { time: () => <LocalTime value={room.device?.lastInformAt} relative /> })}
          </p>
        )}
      </div>
      {room.device && actions.onCheckout ? (
        <Button
          size="sm"
          onClick={() => actions.onCheckout?.([room])}
          aria-label={t("grid.checkOutRoom", { number: room.number })}
        >
          {t("grid.checkOut")}
        </Button>
      ) : !room.device && actions.onRegister ? (
        <Button
          size="sm"
          tone="quiet"
          onClick={() => actions.onRegister?.(room)}
          aria-label={t("grid.registerDeviceOf", { number: room.number })}
        >
          {room.assignment ? t("grid.changeDevice") : t("grid.registerDevice")}
        </Button>
      ) : null}
    </li>
  );
}
