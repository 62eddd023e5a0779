"use client";

import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
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
  const t = useTranslations("rooms.add");
  const tCommon = useTranslations("common.actions");
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
          ? `${t("added", { count: made.created.length, range })}${
              made.existing.length ? t("existedToo", { count: made.existing.length }) : ""
            }.`
          : t("allExisted", { count: made.existing.length }),
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
        {t("title")}
      </h2>
      <ErrorNotice error={error} focus />
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <SelectField
          label={t("building")}
          value={buildingId}
          onChange={(event) => {
            setBuildingId(event.target.value);
            const next = grid.buildings.find((b) => b.id === event.target.value);
            setFloorId(next?.floors[0]?.id ?? NEW);
          }}
          options={[
            ...grid.buildings.map((b) => ({ value: b.id, label: b.name })),
            { value: NEW, label: t("newBuilding") },
          ]}
        />
        {newBuilding && (
          <TextField label={t("buildingName")} name="buildingName" required defaultValue={t("defaultBuilding")} />
        )}
        <SelectField
          label={t("floor")}
          value={newBuilding ? NEW : floorId}
          disabled={newBuilding}
          onChange={(event) => setFloorId(event.target.value)}
          options={[
            ...(building?.floors ?? []).map((f) => ({ value: f.id, label: f.name })),
            { value: NEW, label: t("newFloor") },
            { value: NONE, label: t("noFloor") },
          ]}
        />
        {newFloor && floorId !== NONE && (
          <>
            <TextField label={t("floorName")} name="floorName" required placeholder={t("floorNamePlaceholder")} />
            <TextField
              label={t("floorLevel")}
              name="floorLevel"
              type="number"
              defaultValue="1"
              hint={t("floorLevelHint")}
            />
          </>
        )}
      </div>
      <div className="grid gap-4 sm:grid-cols-3">
        <TextField label={t("from")} name="from" type="number" min={0} required placeholder="101" />
        <TextField label={t("to")} name="to" type="number" min={0} placeholder="120" />
        <TextField
          label={t("prefix")}
          name="prefix"
          maxLength={16}
          placeholder={t("prefixPlaceholder")}
          hint={t("prefixHint")}
        />
      </div>
      <div className="flex gap-2">
        <Button type="submit" tone="primary" disabled={pending}>
          {pending ? t("adding") : t("submit")}
        </Button>
        <Button onClick={onCancel}>{tCommon("cancel")}</Button>
      </div>
    </form>
  );
}
