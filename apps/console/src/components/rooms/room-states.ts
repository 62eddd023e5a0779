import type { RouterOutputs } from "@/trpc/types.ts";

export type RoomGrid = RouterOutputs["sites"]["grid"];
export type RoomCell = RoomGrid["otherRooms"][number];
export type RoomState = RoomCell["state"];

/**
 * Each state has a word (rooms.states.<state>) and a mark besides its colour, so that the grid reads without colour
 * too.
 */
export const ROOM_STATES: Record<RoomState, { mark: string; tile: string; swatch: string }> = {
  online: {
    mark: "●",
    tile: "border-emerald-500 bg-emerald-50 text-emerald-950",
    swatch: "border-emerald-500 bg-emerald-50 text-emerald-700",
  },
  offline: {
    mark: "○",
    tile: "border-slate-400 bg-slate-100 text-slate-800",
    swatch: "border-slate-400 bg-slate-100 text-slate-600",
  },
  unprovisioned: {
    mark: "◌",
    tile: "border-dashed border-slate-300 bg-white text-slate-700",
    swatch: "border-dashed border-slate-300 bg-white text-slate-500",
  },
  "pending-checkout": {
    mark: "⟳",
    tile: "border-sky-500 bg-sky-50 text-sky-950",
    swatch: "border-sky-500 bg-sky-50 text-sky-700",
  },
  "checkout-incomplete": {
    mark: "⚠",
    tile: "border-amber-500 bg-amber-50 text-amber-950",
    swatch: "border-amber-500 bg-amber-50 text-amber-800",
  },
  fault: {
    mark: "▲",
    tile: "border-red-500 bg-red-50 text-red-950",
    swatch: "border-red-500 bg-red-50 text-red-700",
  },
};

export const ROOM_STATE_ORDER: RoomState[] = [
  "online",
  "offline",
  "pending-checkout",
  "checkout-incomplete",
  "fault",
  "unprovisioned",
];

/** The networks the room's last checkout did not update, in words, for the tile; null: no reason was given. */
export function networksLeft(room: RoomCell): (string | null)[] {
  const last = room.lastCheckout;
  if (!last || last.state === "done") return [];
  const left = last.networks.filter((n) => n.status === "failed").map((n) => `${n.label}: ${n.reason ?? ""}`.trim());
  return left.length ? left : [last.problem ?? null];
}

/** The tile's second line: the state, or what an unprovisioned room waits for (a key of rooms.states). */
export function roomStateKey(room: RoomCell): RoomState | "waiting" {
  if (room.state === "unprovisioned" && room.assignment?.state === "waiting") return "waiting";
  return room.state;
}

export function allRooms(grid: RoomGrid): RoomCell[] {
  return [...grid.buildings.flatMap((b) => b.floors.flatMap((f) => f.rooms)), ...grid.otherRooms];
}
