"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { useCurrentDomain } from "@/components/domain/current-domain.tsx";
import { EmptyState } from "@/components/empty-state.tsx";
import { PageHeader } from "@/components/page-header.tsx";
import { Button, buttonClasses } from "@/components/ui/button.tsx";
import { ErrorNotice } from "@/components/ui/error-notice.tsx";
import { SelectField, TextField } from "@/components/ui/field.tsx";
import { useTRPC } from "@/trpc/client.tsx";

const list = (text: string) =>
  text
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);

/** "1, 10, 100" -> [1, 10, 100], or a sentence saying what is wrong. */
function parseWaves(text: string): number[] | string {
  const waves = list(text).map(Number);
  if (!waves.length || waves.some((w) => !Number.isInteger(w) || w < 1 || w > 100))
    return "Waves are whole percentages from 1 to 100, e.g. 1, 10, 100.";
  if (waves.some((w, i) => i > 0 && w <= waves[i - 1]!)) return "Each wave must reach further than the one before it.";
  if (waves.at(-1) !== 100) return "The last wave must reach 100 percent of the devices.";
  return waves;
}

export function NewCampaignView() {
  const current = useCurrentDomain();
  const trpc = useTRPC();
  const router = useRouter();
  const images = useQuery(trpc.firmware.images.queryOptions({ tenantId: current.domain.id, pageSize: 200 }));
  const [fileId, setFileId] = useState("");
  const [productClass, setProductClass] = useState("");
  const [windowed, setWindowed] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const create = useMutation(
    trpc.firmware.create.mutationOptions({
      onSuccess: (created) => router.push(current.withDomain(`/firmware/campaigns/${created.campaign.id}`)),
    }),
  );
  const image = images.data?.rows.find((i) => i.id === (fileId || images.data?.rows[0]?.id));
  const model = productClass && image?.productClasses.includes(productClass) ? productClass : image?.productClasses[0];

  if (!current.can("firmware.manage")) {
    return (
      <>
        <PageHeader title="New firmware campaign" />
        <EmptyState title="Your role here does not include firmware">
          Operators and owners of {current.domain.name} start campaigns.
        </EmptyState>
      </>
    );
  }

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setFormError(null);
    const data = new FormData(event.currentTarget);
    const text = (name: string) => String(data.get(name) ?? "").trim();
    if (!image || !model) return setFormError("Choose an image and the model it is for.");
    const waves = parseWaves(text("waves"));
    if (typeof waves === "string") return setFormError(waves);
    const threshold = Number(text("threshold"));
    if (!Number.isFinite(threshold) || threshold < 0 || threshold > 100)
      return setFormError("The failure threshold is a percentage from 0 to 100.");
    create.mutate({
      tenantId: current.domain.id,
      name: text("name") || `${model} to ${image.version}`,
      fileId: image.id,
      productClass: model,
      tag: text("tag") || undefined,
      fromVersions: list(text("fromVersions")),
      waves,
      maxConcurrent: Number(text("maxConcurrent")) || 50,
      failureThreshold: threshold / 100,
      windows: windowed ? [{ start: text("windowStart"), end: text("windowEnd") }] : [],
    });
  };

  return (
    <>
      <PageHeader
        title="New firmware campaign"
        description={`Upgrades the devices of one model in ${current.domain.name} and below. The first wave starts as soon as you start the campaign.`}
      />
      <ErrorNotice error={images.error} />
      {images.data?.total === 0 ? (
        <EmptyState
          title="Upload an image first"
          action={
            <Link href={current.withDomain("/firmware/images")} className={buttonClasses("primary")}>
              Upload firmware
            </Link>
          }
        >
          A campaign rolls out an image from the firmware library.
        </EmptyState>
      ) : (
        <form
          aria-label="New firmware campaign"
          onSubmit={submit}
          className="grid max-w-3xl gap-4 rounded-lg border border-slate-200 bg-white p-4 md:grid-cols-2"
        >
          <SelectField
            label="Image"
            value={image?.id ?? ""}
            onChange={(event) => setFileId(event.target.value)}
            options={(images.data?.rows ?? []).map((i) => ({ value: i.id, label: `${i.name} (${i.version})` }))}
          />
          <SelectField
            label="Model"
            value={model ?? ""}
            onChange={(event) => setProductClass(event.target.value)}
            options={(image?.productClasses ?? []).map((p) => ({ value: p, label: p }))}
          />
          <TextField
            label="Name"
            name="name"
            placeholder={image && model ? `${model} to ${image.version}` : ""}
            className="md:col-span-2"
          />
          <TextField
            label="Waves"
            name="waves"
            defaultValue="1, 10, 100"
            required
            hint="Cumulative percentages of the devices; each wave starts once the one before it has settled."
          />
          <TextField
            label="Devices at once"
            name="maxConcurrent"
            type="number"
            min={1}
            max={100000}
            defaultValue={50}
            required
          />
          <TextField
            label="Pause when more of a wave fails than (%)"
            name="threshold"
            type="number"
            min={0}
            max={100}
            step="any"
            defaultValue={10}
            required
          />
          <TextField label="Only devices tagged" name="tag" placeholder="any tag" />
          <TextField
            label="Only devices on versions"
            name="fromVersions"
            placeholder="any version but the target"
            hint="Comma-separated SoftwareVersions."
            className="md:col-span-2"
          />
          <fieldset className="md:col-span-2">
            <legend className="text-sm font-medium text-slate-700">Maintenance window</legend>
            <label className="mt-1 flex items-center gap-2 text-sm">
              <input type="checkbox" checked={windowed} onChange={(event) => setWindowed(event.target.checked)} />
              Start devices only between two times each day, in {current.domain.name}&apos;s time zone (
              {current.domain.timeZone})
            </label>
            {windowed && (
              <div className="mt-2 flex flex-wrap gap-3">
                <TextField label="From" name="windowStart" type="time" defaultValue="02:00" required />
                <TextField label="Until" name="windowEnd" type="time" defaultValue="05:00" required />
              </div>
            )}
          </fieldset>
          <div className="flex flex-wrap items-center gap-3 md:col-span-2">
            <Button type="submit" tone="primary" disabled={create.isPending || !image}>
              {create.isPending ? "Starting…" : "Start campaign"}
            </Button>
            <Link href={current.withDomain("/firmware")} className={buttonClasses("quiet")}>
              Cancel
            </Link>
          </div>
          <div className="md:col-span-2">
            <ErrorNotice error={formError ?? create.error} focus />
          </div>
        </form>
      )}
    </>
  );
}
