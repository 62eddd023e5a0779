"use client";

import Link from "next/link";
import { useCurrentDomain } from "@/components/domain/current-domain.tsx";
import { LocalTime } from "@/components/local-time.tsx";
import { NETWORK_WORDS } from "@/components/networks/network-words.ts";
import { Button } from "@/components/ui/button.tsx";
import {
  networksLeft,
  ROOM_STATE_ORDER,
  ROOM_STATES,
  type RoomCell,
  type RoomGrid,
  roomStateText,
} from "./room-states.ts";

export interface RoomActions {
  selected: ReadonlySet<string>;
  onToggle: (room: RoomCell) => void;
  onCheckout?: (rooms: RoomCell[]) => void;
  onRegister?: (room: RoomCell) => void;
}

/** Every room of a site as a tile with its device's state, by building and floor. */
export function RoomGridView({ grid, actions }: { grid: RoomGrid; actions: RoomActions }) {
  const floors = grid.buildings.flatMap((b) =>
    b.floors.map((f) => ({
      key: f.id,
      title: grid.buildings.length > 1 ? `${b.name} · ${floorTitle(f.name)}` : floorTitle(f.name),
      rooms: f.rooms,
    })),
  );
  if (grid.otherRooms.length) floors.push({ key: "none", title: "Rooms on no floor", rooms: grid.otherRooms });
  return (
    <div className="space-y-6">
      <RoomLegend counts={grid.counts} />
      {floors.map((floor) => (
        <section key={floor.key} aria-label={floor.title}>
          <h3 className="mb-2 text-sm font-semibold text-slate-700">
            {floor.title}{" "}
            <span className="font-normal text-slate-500">
              · {floor.rooms.length} {floor.rooms.length === 1 ? "room" : "rooms"}
            </span>
          </h3>
          {floor.rooms.length === 0 ? (
            <p className="text-sm text-slate-500">No rooms on this floor yet.</p>
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

function floorTitle(name: string): string {
  return /^-?\d+$/.test(name) ? `Floor ${name}` : name;
}

export function RoomLegend({ counts }: { counts: RoomGrid["counts"] }) {
  return (
    <ul aria-label="Legend" className="flex flex-wrap gap-2 text-xs">
      {ROOM_STATE_ORDER.map((state) => (
        <li
          key={state}
          className={`inline-flex items-center gap-1.5 rounded-full border-2 px-2.5 py-0.5 font-medium ${ROOM_STATES[state].swatch}`}
        >
          <span aria-hidden="true">{ROOM_STATES[state].mark}</span>
          {ROOM_STATES[state].label}
          <span className="tabular-nums text-slate-600">{counts[state]}</span>
        </li>
      ))}
    </ul>
  );
}

function RoomTile({ room, actions }: { room: RoomCell; actions: RoomActions }) {
  const current = useCurrentDomain();
  const style = ROOM_STATES[room.state];
  const text = roomStateText(room);
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
            aria-label={`Room ${room.number}: ${text}. Open device ${room.device.serialNumber}`}
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
            aria-label={`Select room ${room.number}`}
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
            since <LocalTime value={room.pendingCheckout.createdAt} relative />
          </p>
        )}
        {room.state === "checkout-incomplete" &&
          networksLeft(room).map((left) => (
            <p key={left} className="line-clamp-3" title={left} data-network-left>
              {NETWORK_WORDS.incompleteOnTile} {left}
            </p>
          ))}
        {room.networksRecognised === false && (
          <p className="font-medium" title={NETWORK_WORDS.notRecognisedHelp} data-networks-not-recognised>
            {NETWORK_WORDS.notRecognised}
          </p>
        )}
        {room.state === "fault" && room.fault && (
          <p className="truncate" title={room.fault.message ?? undefined}>
            {room.fault.kind}: {room.fault.code ?? ""} {room.fault.message}
          </p>
        )}
        {room.state === "offline" && room.device && (
          <p className="opacity-80">
            seen <LocalTime value={room.device.lastInformAt} relative />
          </p>
        )}
      </div>
      {room.device && actions.onCheckout ? (
        <Button size="sm" onClick={() => actions.onCheckout?.([room])} aria-label={`Check out room ${room.number}`}>
          Check out
        </Button>
      ) : !room.device && actions.onRegister ? (
        <Button
          size="sm"
          tone="quiet"
          onClick={() => actions.onRegister?.(room)}
          aria-label={`Register the device of room ${room.number}`}
        >
          {room.assignment ? "Change device" : "Register device"}
        </Button>
      ) : null}
    </li>
  );
}
