"use client";

import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Button } from "@/components/ui/button.tsx";
import { ErrorNotice } from "@/components/ui/error-notice.tsx";
import { SelectField, TextField } from "@/components/ui/field.tsx";
import { useTRPC } from "@/trpc/client.tsx";
import type { RoomGrid } from "./room-states.ts";

const NEW = "__new";
const NONE = "__none";

/** "Rooms 101 to 120 on floor 1": makes the building and floor first when they are new. */
export function AddRoomsForm({
  siteId,
  grid,
  onAdded,
  onCancel,
}: {
  siteId: string;
  grid: RoomGrid;
  onAdded: (message: string) => void;
  onCancel: () => void;
}) {
  const trpc = useTRPC();
  const [buildingId, setBuildingId] = useState(grid.buildings[0]?.id ?? NEW);
  const building = grid.buildings.find((b) => b.id === buildingId);
  const [floorId, setFloorId] = useState(building?.floors[0]?.id ?? NEW);
  const [error, setError] = useState<unknown>(null);
  const [pending, setPending] = useState(false);
  const createBuilding = useMutation(trpc.sites.createBuilding.mutationOptions());
  const createFloor = useMutation(trpc.sites.createFloor.mutationOptions());
  const createRange = useMutation(trpc.sites.createRoomRange.mutationOptions());

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? "").trim();
    const from = Number(text("from"));
    const to = Number(text("to") || text("from"));
    setPending(true);
    setError(null);
    try {
      let floor: string | undefined;
      if (floorId !== NONE) {
        let inBuilding = buildingId;
        if (buildingId === NEW) {
          inBuilding = (await createBuilding.mutateAsync({ siteId, name: text("buildingName") })).id;
        }
        floor =
          floorId === NEW || buildingId === NEW
            ? (
                await createFloor.mutateAsync({
                  buildingId: inBuilding,
                  name: text("floorName"),
                  level: Number(text("floorLevel") || 0),
                })
              ).id
            : floorId;
      }
      const made = await createRange.mutateAsync({
        siteId,
        floorId: floor,
        from,
        to,
        prefix: text("prefix") || undefined,
      });
      const range = made.created.length ? `${made.created[0]}–${made.created.at(-1)}` : "";
      onAdded(
        made.created.length
          ? `Added ${made.created.length} ${made.created.length === 1 ? "room" : "rooms"} (${range})${
              made.existing.length ? `; ${made.existing.length} existed already` : ""
            }.`
          : `All ${made.existing.length} rooms existed already.`,
      );
    } catch (failure) {
      setError(failure);
    } finally {
      setPending(false);
    }
  };

  const newBuilding = buildingId === NEW;
  const newFloor = newBuilding || floorId === NEW;
  return (
    <form
      onSubmit={submit}
      aria-labelledby="add-rooms-heading"
      className="space-y-4 rounded-lg border border-slate-200 bg-white p-4"
    >
      <h2 id="add-rooms-heading" className="text-base font-semibold">
        Add a range of rooms
      </h2>
      <ErrorNotice error={error} focus />
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <SelectField
          label="Building"
          value={buildingId}
          onChange={(event) => {
            setBuildingId(event.target.value);
            const next = grid.buildings.find((b) => b.id === event.target.value);
            setFloorId(next?.floors[0]?.id ?? NEW);
          }}
          options={[
            ...grid.buildings.map((b) => ({ value: b.id, label: b.name })),
            { value: NEW, label: "New building…" },
          ]}
        />
        {newBuilding && <TextField label="Building name" name="buildingName" required defaultValue="Main building" />}
        <SelectField
          label="Floor"
          value={newBuilding ? NEW : floorId}
          disabled={newBuilding}
          onChange={(event) => setFloorId(event.target.value)}
          options={[
            ...(building?.floors ?? []).map((f) => ({ value: f.id, label: f.name })),
            { value: NEW, label: "New floor…" },
            { value: NONE, label: "No floor" },
          ]}
        />
        {newFloor && floorId !== NONE && (
          <>
            <TextField label="Floor name" name="floorName" required placeholder="e.g. 1 or Ground" />
            <TextField
              label="Floor level"
              name="floorLevel"
              type="number"
              defaultValue="1"
              hint="For ordering: 0 is the ground floor, -1 a basement."
            />
          </>
        )}
      </div>
      <div className="grid gap-4 sm:grid-cols-3">
        <TextField label="From room number" name="from" type="number" min={0} required placeholder="101" />
        <TextField label="To room number" name="to" type="number" min={0} placeholder="120" />
        <TextField
          label="Prefix"
          name="prefix"
          maxLength={16}
          placeholder="Optional, e.g. A"
          hint="A-101 → prefix A-"
        />
      </div>
      <div className="flex gap-2">
        <Button type="submit" tone="primary" disabled={pending}>
          {pending ? "Adding…" : "Add rooms"}
        </Button>
        <Button onClick={onCancel}>Cancel</Button>
      </div>
    </form>
  );
}
