"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useLocale, useTranslations } from "next-intl";
import { type FormEvent, useState } from "react";
import { useCurrentDomain } from "@/components/domain/current-domain.tsx";
import { TargetChoices } from "@/components/firmware/target-choices.tsx";
import { PageHeader } from "@/components/page-header.tsx";
import { Button } from "@/components/ui/button.tsx";
import { ErrorNotice } from "@/components/ui/error-notice.tsx";
import { TextField } from "@/components/ui/field.tsx";
import { useTRPC } from "@/trpc/client.tsx";
import type { RouterOutputs } from "@/trpc/types.ts";

type Overview = RouterOutputs["monitoring"]["profiles"];
type Profile = Overview["profiles"][number];

const METRICS = [
  "optical.rxPower",
  "optical.txPower",
  "optical.temperature",
  "optical.supplyVoltage",
  "optical.biasCurrent",
  "device.temperature",
  "device.cpuUsage",
  "device.memoryFree",
  "device.uptime",
  "wifi.clients",
] as const;

/** Which metrics Beacon reads from each model here and how often; owners edit the domain's profiles. */
export function MonitoringProfilesView() {
  const t = useTranslations("monitoring");
  const locale = useLocale();
  const current = useCurrentDomain();
  const trpc = useTRPC();
  const tenantId = current.domain.id;
  const overview = useQuery(trpc.monitoring.profiles.queryOptions({ tenantId }));
  const canEdit = current.can("tenant.manage");
  const [editing, setEditing] = useState<Partial<Profile> | null>(null);
  const names = new Intl.ListFormat(locale, { style: "short", type: "conjunction" });
  const metricList = (metrics: readonly string[]) => names.format(metrics.map((m) => t(`metrics.${m}`)));
  const o = overview.data;
  return (
    <>
      <PageHeader title={t("profiles.heading")} description={t("profiles.intro")} />
      <ErrorNotice error={overview.error} />
      {o && (
        <div className="grid gap-6">
          <p className="rounded-lg border border-slate-200 bg-white p-4 text-sm">
            <span className="font-medium">{t("profiles.builtIn")}.</span>{" "}
            {t("profiles.builtInNote", {
              metrics: metricList(o.builtIn.metrics),
              minutes: Math.round(o.builtIn.intervalSeconds / 60),
            })}
          </p>
          <section aria-labelledby="models-heading">
            <h2 id="models-heading" className="mb-2 text-base font-semibold">
              {t("profiles.models")}
            </h2>
            {o.models.length === 0 ? (
              <p className="text-sm text-slate-600">{t("profiles.noModels")}</p>
            ) : (
              <table className="w-full rounded-lg border border-slate-200 bg-white text-sm">
                <caption className="sr-only">{t("profiles.models")}</caption>
                <thead className="bg-slate-50 text-left text-xs text-slate-600">
                  <tr>
                    <th scope="col" className="px-3 py-2">
                      {t("profiles.model")}
                    </th>
                    <th scope="col" className="px-3 py-2">
                      {t("profiles.devices")}
                    </th>
                    <th scope="col" className="px-3 py-2">
                      {t("profiles.profile")}
                    </th>
                    <th scope="col" className="px-3 py-2">
                      {t("profiles.metricsHeading")}
                    </th>
                    <th scope="col" className="px-3 py-2">
                      {t("profiles.interval")}
                    </th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {o.models.map((m) => (
                    <tr key={m.productClass}>
                      <th scope="row" className="px-3 py-2 text-left font-mono font-normal">
                        {m.productClass}
                      </th>
                      <td className="px-3 py-2">{t("profiles.deviceCount", { count: m.devices })}</td>
                      <td className="px-3 py-2">
                        {m.profile ? (m.profile.builtIn ? t("profiles.builtIn") : m.profile.name) : t("profiles.off")}
                      </td>
                      <td className="px-3 py-2">{m.profile ? metricList(m.profile.metrics) : "–"}</td>
                      <td className="px-3 py-2">
                        {m.profile ? t("profiles.every", { minutes: Math.round(m.profile.intervalSeconds / 60) }) : "–"}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <section aria-labelledby="profiles-heading">
            <div className="mb-2 flex items-center justify-between">
              <h2 id="profiles-heading" className="text-base font-semibold">
                {t("profiles.list")}
              </h2>
              {canEdit && (
                <Button
                  onClick={() => setEditing({ metrics: [...o.builtIn.metrics], intervalSeconds: 900, enabled: true })}
                >
                  {t("profiles.new")}
                </Button>
              )}
            </div>
            {!canEdit && <p className="mb-2 text-xs text-slate-500">{t("profiles.form.adminOnly")}</p>}
            {o.profiles.length === 0 ? (
              <p className="text-sm text-slate-600">{t("profiles.none")}</p>
            ) : (
              <ul className="grid gap-2">
                {o.profiles.map((p) => (
                  <li key={p.id} className="rounded-lg border border-slate-200 bg-white p-3 text-sm">
                    <div className="flex flex-wrap items-center justify-between gap-2">
                      <p>
                        <span className="font-medium">{p.name}</span> ({p.productClass || t("profiles.allModels")})
                        {p.inherited && <span className="ml-1 text-xs text-slate-500">{t("profiles.inherited")}</span>}
                      </p>
                      {canEdit && !p.inherited && <Button onClick={() => setEditing(p)}>{t("profiles.edit")}</Button>}
                    </div>
                    <p className="text-slate-600">
                      {p.enabled
                        ? `${metricList(p.metrics)}, ${t("profiles.every", { minutes: Math.round(p.intervalSeconds / 60) })}`
                        : t("profiles.off")}
                    </p>
                  </li>
                ))}
              </ul>
            )}
          </section>
          {editing && canEdit && <ProfileForm tenantId={tenantId} profile={editing} onDone={() => setEditing(null)} />}
        </div>
      )}
    </>
  );
}

function ProfileForm({
  tenantId,
  profile,
  onDone,
}: {
  tenantId: string;
  profile: Partial<Profile>;
  onDone: () => void;
}) {
  const t = useTranslations("monitoring");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [metrics, setMetrics] = useState<string[]>([...(profile.metrics ?? [])]);
  const [enabled, setEnabled] = useState(profile.enabled ?? true);
  const save = useMutation(
    trpc.monitoring.saveProfile.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.monitoring.profiles.queryKey({ tenantId }) });
        onDone();
      },
    }),
  );
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    save.mutate({
      tenantId,
      name: String(data.get("name") ?? ""),
      productClass: String(data.get("productClass") ?? ""),
      metrics: metrics as (typeof METRICS)[number][],
      intervalSeconds: Math.round(Number(data.get("interval")) * 60),
      enabled,
    });
  };
  return (
    <form
      aria-label={profile.name ?? t("profiles.new")}
      onSubmit={submit}
      className="grid max-w-3xl gap-4 rounded-lg border border-slate-200 bg-white p-4 md:grid-cols-2"
    >
      <TextField label={t("profiles.form.name")} name="name" defaultValue={profile.name ?? ""} required />
      <TextField
        label={t("profiles.form.productClass")}
        name="productClass"
        defaultValue={profile.productClass ?? ""}
      />
      <TargetChoices
        legend={t("profiles.form.metrics")}
        options={METRICS.map((m) => ({ value: m, label: t(`metrics.${m}`) }))}
        chosen={metrics}
        onChange={setMetrics}
        className="md:col-span-2"
      />
      <TextField
        label={t("profiles.form.intervalMinutes")}
        name="interval"
        type="number"
        min={1}
        max={10080}
        defaultValue={Math.round((profile.intervalSeconds ?? 900) / 60)}
        required
      />
      <label className="flex items-center gap-2 self-end text-sm">
        <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
        {t("profiles.form.enabled")}
      </label>
      <div className="md:col-span-2">
        <Button type="submit" tone="primary" disabled={save.isPending || metrics.length === 0}>
          {t("profiles.form.save")}
        </Button>
        <ErrorNotice error={save.error} />
      </div>
    </form>
  );
}
