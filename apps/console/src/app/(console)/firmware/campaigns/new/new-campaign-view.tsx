"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useLocale, useTranslations } from "next-intl";
import { type FormEvent, useState } from "react";
import { useCurrentDomain } from "@/components/domain/current-domain.tsx";
import { EmptyState } from "@/components/empty-state.tsx";
import { TargetChoices } from "@/components/firmware/target-choices.tsx";
import { PageHeader } from "@/components/page-header.tsx";
import { Button, buttonClasses } from "@/components/ui/button.tsx";
import { ConfirmDialog } from "@/components/ui/confirm-dialog.tsx";
import { ErrorNotice } from "@/components/ui/error-notice.tsx";
import { SelectField, TextField } from "@/components/ui/field.tsx";
import { useTRPC } from "@/trpc/client.tsx";
import type { RouterInputs, RouterOutputs } from "@/trpc/types.ts";

type CampaignRequest = RouterInputs["firmware"]["preview"];
type Preview = RouterOutputs["firmware"]["preview"];

const list = (text: string) =>
  text
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);

/** "1, 10, 100" -> [1, 10, 100], or the key of the message saying what is wrong. */
function parseWaves(text: string): number[] | "wavesWhole" | "wavesRise" | "wavesEnd" {
  const waves = list(text).map(Number);
  if (!waves.length || waves.some((w) => !Number.isInteger(w) || w < 1 || w > 100)) return "wavesWhole";
  if (waves.some((w, i) => i > 0 && w <= waves[i - 1]!)) return "wavesRise";
  if (waves.at(-1) !== 100) return "wavesEnd";
  return waves;
}

/**
 * A campaign is prepared here and started only from the confirmation that says what it will do: how many devices,
 * on which sites and models, in which waves and when.
 */
export function NewCampaignView() {
  const t = useTranslations("firmware.new");
  const locale = useLocale();
  const current = useCurrentDomain();
  const trpc = useTRPC();
  const router = useRouter();
  const tenantId = current.domain.id;
  const images = useQuery(trpc.firmware.images.queryOptions({ tenantId, pageSize: 200 }));
  const domains = useQuery(trpc.domains.list.queryOptions({ underId: tenantId, limit: 500 }));
  const tags = useQuery(trpc.firmware.tags.queryOptions({ tenantId }));
  const [fileId, setFileId] = useState("");
  const [models, setModels] = useState<string[] | null>(null);
  const [siteIds, setSiteIds] = useState<string[]>([]);
  const [chosenTags, setChosenTags] = useState<string[]>([]);
  const sites = (domains.data ?? []).filter((d) => d.parentId === tenantId);
  const hotels = current.domain.kind === "hotel" || (sites.length > 0 && sites.every((s) => s.kind === "hotel"));
  const [windowed, setWindowed] = useState<boolean | null>(null);
  const windowOn = windowed ?? hotels;
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, setPending] = useState<{ request: CampaignRequest; preview: Preview } | null>(null);
  const preview = useMutation(trpc.firmware.preview.mutationOptions());
  const create = useMutation(
    trpc.firmware.create.mutationOptions({
      onSuccess: (created) => router.push(current.withDomain(`/firmware/campaigns/${created.campaign.id}`)),
    }),
  );
  const image = images.data?.rows.find((i) => i.id === (fileId || images.data?.rows[0]?.id));
  const chosenModels = (models ?? image?.productClasses.slice(0, 1) ?? []).filter((m) =>
    image?.productClasses.includes(m),
  );

  if (!current.can("firmware.manage")) {
    return (
      <>
        <PageHeader title={t("title")} />
        <EmptyState title={t("notAllowed")}>{t("notAllowedHint", { domain: current.domain.name })}</EmptyState>
      </>
    );
  }

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setFormError(null);
    const data = new FormData(event.currentTarget);
    const text = (name: string) => String(data.get(name) ?? "").trim();
    if (!image || !chosenModels.length) return setFormError(t("errors.model"));
    const waves = parseWaves(text("waves"));
    if (typeof waves === "string") return setFormError(t(`errors.${waves}`));
    const threshold = Number(text("threshold"));
    if (!Number.isFinite(threshold) || threshold < 0 || threshold > 100) return setFormError(t("errors.threshold"));
    const request: CampaignRequest = {
      tenantId,
      name: text("name") || t("defaultName", { model: chosenModels.join(", "), version: image.version ?? "" }),
      fileId: image.id,
      productClasses: chosenModels,
      siteIds,
      tags: chosenTags,
      fromVersions: list(text("fromVersions")),
      waves,
      maxConcurrent: Number(text("maxConcurrent")) || 50,
      failureThreshold: threshold / 100,
      windows: windowOn ? [{ start: text("windowStart"), end: text("windowEnd") }] : [],
    };
    preview.mutate(request, { onSuccess: (result) => setPending({ request, preview: result }) });
  };

  const list_ = new Intl.ListFormat(locale, { style: "long", type: "conjunction" });
  return (
    <>
      <PageHeader title={t("title")} description={t("description", { domain: current.domain.name })} />
      <ErrorNotice error={images.error ?? domains.error ?? tags.error} />
      {images.data?.total === 0 ? (
        <EmptyState
          title={t("noImage")}
          action={
            <Link href={current.withDomain("/firmware/images")} className={buttonClasses("primary")}>
              {t("upload")}
            </Link>
          }
        >
          {t("noImageHint")}
        </EmptyState>
      ) : (
        <form
          aria-label={t("title")}
          onSubmit={submit}
          className="grid max-w-3xl gap-4 rounded-lg border border-slate-200 bg-white p-4 md:grid-cols-2"
        >
          <SelectField
            label={t("image")}
            value={image?.id ?? ""}
            onChange={(event) => {
              setFileId(event.target.value);
              setModels(null);
            }}
            options={(images.data?.rows ?? []).map((i) => ({ value: i.id, label: `${i.name} (${i.version})` }))}
          />
          <TextField
            label={t("name")}
            name="name"
            placeholder={
              image && chosenModels.length
                ? t("defaultName", { model: chosenModels.join(", "), version: image.version ?? "" })
                : ""
            }
          />
          <TargetChoices
            legend={t("models")}
            hint={t("modelsHint")}
            options={(image?.productClasses ?? []).map((p) => ({ value: p, label: p }))}
            chosen={chosenModels}
            onChange={setModels}
          />
          <TargetChoices
            legend={t("sites")}
            hint={t("sitesHint", { domain: current.domain.name })}
            options={sites.map((s) => ({ value: s.id, label: s.name }))}
            chosen={siteIds}
            onChange={setSiteIds}
            empty={t("noSites")}
          />
          <TargetChoices
            legend={t("tags")}
            hint={t("tagsHint")}
            options={(tags.data ?? []).map((g) => ({
              value: g.tag,
              label: t("tagCount", { tag: g.tag, count: g.devices }),
            }))}
            chosen={chosenTags}
            onChange={setChosenTags}
            empty={t("noTags")}
            className="md:col-span-2"
          />
          <TextField label={t("waves")} name="waves" defaultValue="1, 10, 100" required hint={t("wavesHint")} />
          <TextField
            label={t("maxConcurrent")}
            name="maxConcurrent"
            type="number"
            min={1}
            max={100000}
            defaultValue={50}
            required
          />
          <TextField
            label={t("threshold")}
            name="threshold"
            type="number"
            min={0}
            max={100}
            step="any"
            defaultValue={10}
            required
          />
          <TextField
            label={t("fromVersions")}
            name="fromVersions"
            placeholder={t("fromVersionsPlaceholder")}
            hint={t("fromVersionsHint")}
          />
          <fieldset className="md:col-span-2">
            <legend className="text-sm font-medium text-slate-700">{t("window")}</legend>
            <label className="mt-1 flex items-center gap-2 text-sm">
              <input type="checkbox" checked={windowOn} onChange={(event) => setWindowed(event.target.checked)} />
              {t("windowOn")}
            </label>
            {hotels && <p className="mt-1 text-xs text-slate-500">{t("windowHotels")}</p>}
            {windowOn && (
              <div className="mt-2 flex flex-wrap gap-3">
                <TextField label={t("from")} name="windowStart" type="time" defaultValue="02:00" required />
                <TextField label={t("until")} name="windowEnd" type="time" defaultValue="05:00" required />
              </div>
            )}
          </fieldset>
          <div className="flex flex-wrap items-center gap-3 md:col-span-2">
            <Button type="submit" tone="primary" disabled={preview.isPending || !image}>
              {preview.isPending ? t("reviewing") : t("review")}
            </Button>
            <Link href={current.withDomain("/firmware")} className={buttonClasses("quiet")}>
              {t("cancel")}
            </Link>
          </div>
          <div className="md:col-span-2">
            <ErrorNotice error={formError ?? preview.error} focus />
          </div>
        </form>
      )}
      {pending && (
        <ConfirmDialog
          title={t("confirm.title", { count: pending.preview.devices, version: pending.preview.targetVersion })}
          confirmLabel={t("confirm.start", { count: pending.preview.devices })}
          confirmDisabled={pending.preview.devices === 0}
          pending={create.isPending}
          onClose={() => {
            setPending(null);
            create.reset();
          }}
          onConfirm={() => create.mutate({ ...pending.request, confirmedDevices: pending.preview.devices })}
        >
          {pending.preview.devices === 0 ? (
            <p>{t("confirm.none")}</p>
          ) : (
            <>
              <p>
                {t("confirm.what", {
                  count: pending.preview.devices,
                  file: pending.preview.file.name,
                  version: pending.preview.targetVersion,
                })}
              </p>
              <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1">
                <dt className="font-medium">{t("confirm.sites")}</dt>
                <dd>
                  <ul>
                    {pending.preview.sites
                      .filter((s) => s.devices > 0)
                      .map((s) => (
                        <li key={s.id}>{t("confirm.siteLine", { site: s.name, count: s.devices })}</li>
                      ))}
                  </ul>
                </dd>
                <dt className="font-medium">{t("confirm.models")}</dt>
                <dd>
                  {list_.format(
                    pending.preview.models.map((m) =>
                      t("confirm.modelLine", { model: m.productClass, count: m.devices }),
                    ),
                  )}
                </dd>
                {pending.preview.tags.length > 0 && (
                  <>
                    <dt className="font-medium">{t("confirm.tags")}</dt>
                    <dd>{list_.format(pending.preview.tags)}</dd>
                  </>
                )}
                <dt className="font-medium">{t("confirm.waves")}</dt>
                <dd>
                  <ol className="list-inside list-decimal">
                    {pending.preview.waveSizes.map((size, i) => (
                      <li key={pending.preview.waves[i]}>
                        {t("confirm.waveLine", { count: size, percent: pending.preview.waves[i] ?? 100 })}
                      </li>
                    ))}
                  </ol>
                </dd>
                <dt className="font-medium">{t("confirm.when")}</dt>
                <dd>
                  {pending.preview.windows.length
                    ? list_.format(
                        pending.preview.windows.map((w) => t("confirm.windowLine", { start: w.start, end: w.end })),
                      )
                    : t("confirm.anyTime")}
                </dd>
              </dl>
              <p>{t("confirm.firstWave", { count: pending.preview.waveSizes[0] ?? 0 })}</p>
            </>
          )}
          <ErrorNotice error={create.error} focus />
        </ConfirmDialog>
      )}
    </>
  );
}
