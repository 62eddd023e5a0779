"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { type FormEvent, useState } from "react";
import { useCurrentDomain } from "@/components/domain/current-domain.tsx";
import { EmptyState } from "@/components/empty-state.tsx";
import { PageHeader } from "@/components/page-header.tsx";
import { PmsStatus } from "@/components/pms/pms-status.tsx";
import { Button } from "@/components/ui/button.tsx";
import { ConfirmDialog } from "@/components/ui/confirm-dialog.tsx";
import { ErrorNotice, Notice } from "@/components/ui/error-notice.tsx";
import { SelectField, TextField } from "@/components/ui/field.tsx";
import { useTRPC } from "@/trpc/client.tsx";
import type { RouterOutputs } from "@/trpc/types.ts";

type Connector = NonNullable<RouterOutputs["pms"]["get"]>;
type Kind = Connector["kind"];

const KINDS: readonly Kind[] = ["fias", "mews", "apaleo", "cloudbeds"];
const SITE_KINDS = new Set(["hotel", "site", "business"]);

/** The hotel's PMS connection: owners change it; everyone who sees the hotel sees its status, never its secrets. */
export function PmsSettingsView() {
  const t = useTranslations("pms");
  const current = useCurrentDomain();
  const trpc = useTRPC();
  const siteId = current.domain.id;
  const isSite = SITE_KINDS.has(current.domain.kind);
  const connector = useQuery(trpc.pms.get.queryOptions({ siteId }, { enabled: isSite }));
  const canEdit = current.can("tenant.manage");

  if (!isSite) return <EmptyState title={t("status.heading")}>{t("settings.notASite")}</EmptyState>;
  return (
    <div className="max-w-3xl space-y-6">
      <PageHeader
        title={t("settings.title", { site: current.domain.name })}
        description={t("settings.description")}
        actions={
          <Link href={current.withDomain("/sites")} className="text-sm text-sky-800 underline">
            {t("settings.backToRooms")}
          </Link>
        }
      />
      <PmsStatus siteId={siteId} />
      <ErrorNotice error={connector.error} />
      {!canEdit && <p className="text-sm text-slate-600">{t("settings.readOnly")}</p>}
      {connector.isSuccess &&
        (canEdit ? (
          <PmsForm siteId={siteId} connector={connector.data} />
        ) : (
          connector.data && <PmsSummary connector={connector.data} />
        ))}
    </div>
  );
}

/** What a viewer sees of the settings: where the PMS is, never a secret or a credential. */
function PmsSummary({ connector }: { connector: Connector }) {
  const t = useTranslations("pms");
  const rows: [string, string][] = [[t("settings.kind"), t(`kind.${connector.kind}`)]];
  if (connector.kind === "fias") {
    rows.push([t("settings.fiasHost"), connector.fiasHost ?? ""], [t("settings.fiasPort"), String(connector.fiasPort)]);
  } else rows.push([t("settings.apiBaseUrl"), connector.apiBaseUrl ?? ""]);
  return (
    <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 rounded-lg border border-slate-200 bg-white p-4 text-sm">
      {rows.map(([label, value]) => (
        <div key={label} className="contents">
          <dt className="text-slate-600">{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function tableText(table: Record<string, string>): string {
  return Object.entries(table)
    .map(([pms, site]) => `${pms} = ${site}`)
    .join("\n");
}

function PmsForm({ siteId, connector }: { siteId: string; connector: Connector | null }) {
  const t = useTranslations("pms");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<Kind>(connector?.kind ?? "fias");
  const [secret, setSecret] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<"rotate" | "delete" | null>(null);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.pms.pathKey() });
  const save = useMutation(
    trpc.pms.save.mutationOptions({
      onSuccess: (answer) => {
        setSecret(answer.webhookSecret);
        setNotice(t("settings.saved"));
        refresh();
      },
    }),
  );
  const rotate = useMutation(
    trpc.pms.rotateSecret.mutationOptions({
      onSuccess: (answer) => {
        setConfirming(null);
        setSecret(answer.webhookSecret);
        refresh();
      },
    }),
  );
  const remove = useMutation(
    trpc.pms.delete.mutationOptions({
      onSuccess: () => {
        setConfirming(null);
        setSecret(null);
        setNotice(t("settings.deleted"));
        refresh();
      },
    }),
  );
  const cloud = kind !== "fias";
  const sameKind = connector?.kind === kind;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setNotice(null);
    setProblem(null);
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? "").trim();
    const table: Record<string, string> = {};
    const lines = text("table").split("\n");
    for (const [index, line] of lines.entries()) {
      if (!line.trim()) continue;
      const [pms, site, ...rest] = line.split("=").map((part) => part.trim());
      if (!pms || !site || rest.length) {
        setProblem(t("settings.tableProblem", { line: index + 1 }));
        return;
      }
      table[pms] = site;
    }
    const credential = (name: string) => (text(name) ? text(name) : undefined);
    save.mutate({
      siteId,
      kind,
      enabled: form.get("enabled") === "on",
      ...(cloud
        ? {
            apiBaseUrl: text("apiBaseUrl"),
            apiClientToken: credential("apiClientToken"),
            apiAccessToken: credential("apiAccessToken"),
          }
        : { fiasHost: text("fiasHost"), fiasPort: Number(text("fiasPort")) || undefined }),
      roomMapping: {
        table,
        stripPrefix: text("stripPrefix"),
        stripLeadingZeros: form.get("stripLeadingZeros") === "on",
        addPrefix: text("addPrefix"),
      },
    });
  };

  const webhookUrl =
    connector?.webhookPath && typeof window !== "undefined"
      ? `${window.location.origin}${connector.webhookPath}`
      : null;
  const mapping = connector?.roomMapping;
  return (
    <div className="space-y-4">
      {notice && <Notice>{notice}</Notice>}
      {secret && (
        <output
          data-testid="pms-secret"
          className="block space-y-2 rounded-md border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-950"
        >
          <p className="font-medium">{t("settings.secretOnce")}</p>
          <code className="block select-all break-all rounded border border-amber-200 bg-white px-2 py-1.5 font-mono text-xs">
            {secret}
          </code>
        </output>
      )}
      <form
        onSubmit={submit}
        className="space-y-4 rounded-lg border border-slate-200 bg-white p-4"
        aria-label={t("status.heading")}
      >
        <SelectField
          label={t("settings.kind")}
          name="kind"
          value={kind}
          onChange={(event) => setKind(event.target.value as Kind)}
          options={KINDS.map((value) => ({ value, label: t(`kind.${value}`) }))}
        />
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" name="enabled" defaultChecked={connector?.enabled ?? true} />
          {t("settings.enabled")}
          <span className="text-xs text-slate-500">{t("settings.enabledHint")}</span>
        </label>
        {cloud ? (
          <>
            <TextField
              key={`api-${kind}`}
              label={t("settings.apiBaseUrl")}
              name="apiBaseUrl"
              type="url"
              required
              defaultValue={sameKind ? (connector?.apiBaseUrl ?? "") : ""}
              hint={t("settings.apiBaseUrlHint")}
            />
            {kind === "mews" && (
              <TextField
                label={t("settings.apiClientToken")}
                name="apiClientToken"
                type="password"
                autoComplete="off"
                placeholder={
                  sameKind && connector?.apiClientTokenSet ? t("settings.credentialSet") : t("settings.credentialUnset")
                }
              />
            )}
            <TextField
              label={t("settings.apiAccessToken")}
              name="apiAccessToken"
              type="password"
              autoComplete="off"
              placeholder={
                sameKind && connector?.apiAccessTokenSet ? t("settings.credentialSet") : t("settings.credentialUnset")
              }
            />
          </>
        ) : (
          <div className="grid gap-4 sm:grid-cols-[1fr_10rem]">
            <TextField
              label={t("settings.fiasHost")}
              name="fiasHost"
              required
              defaultValue={connector?.fiasHost ?? ""}
              hint={t("settings.fiasHostHint")}
            />
            <TextField
              label={t("settings.fiasPort")}
              name="fiasPort"
              type="number"
              min={1}
              max={65535}
              required
              defaultValue={connector?.fiasPort ?? ""}
            />
          </div>
        )}
        <fieldset className="space-y-3 rounded-md border border-slate-200 p-3">
          <legend className="px-1 text-sm font-medium">{t("settings.mapping")}</legend>
          <p className="text-xs text-slate-500">{t("settings.mappingHint")}</p>
          <div className="grid gap-3 sm:grid-cols-2">
            <TextField label={t("settings.stripPrefix")} name="stripPrefix" defaultValue={mapping?.stripPrefix ?? ""} />
            <TextField label={t("settings.addPrefix")} name="addPrefix" defaultValue={mapping?.addPrefix ?? ""} />
          </div>
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" name="stripLeadingZeros" defaultChecked={mapping?.stripLeadingZeros ?? false} />
            {t("settings.stripLeadingZeros")}
          </label>
          <label className="block text-sm font-medium text-slate-700">
            {t("settings.table")}
            <textarea
              name="table"
              rows={3}
              defaultValue={tableText(mapping?.table ?? {})}
              aria-describedby="pms-table-hint"
              className="mt-1 block w-full rounded-md border border-slate-300 px-2.5 py-1.5 font-mono text-sm"
            />
          </label>
          <p id="pms-table-hint" className="text-xs text-slate-500">
            {t("settings.tableHint")}
          </p>
        </fieldset>
        {problem && <ErrorNotice error={problem} focus />}
        <ErrorNotice error={save.error} focus />
        <Button type="submit" tone="primary" disabled={save.isPending}>
          {t("settings.save")}
        </Button>
      </form>
      {connector && (
        <section className="space-y-2 rounded-lg border border-slate-200 bg-white p-4 text-sm">
          {webhookUrl && (
            <>
              <h2 className="font-semibold">{t("settings.webhookUrl")}</h2>
              <code data-testid="pms-webhook-url" className="block break-all font-mono text-xs">
                {webhookUrl}
              </code>
              <p className="text-xs text-slate-600">{t("settings.webhookHint")}</p>
              {!secret && <p className="text-xs text-slate-600">{t("settings.secretHidden")}</p>}
            </>
          )}
          <div className="flex flex-wrap gap-2">
            {webhookUrl && <Button onClick={() => setConfirming("rotate")}>{t("settings.rotate")}</Button>}
            <Button tone="danger" onClick={() => setConfirming("delete")}>
              {t("settings.delete")}
            </Button>
          </div>
          <ErrorNotice error={rotate.error ?? remove.error} />
        </section>
      )}
      {confirming === "rotate" && (
        <ConfirmDialog
          title={t("settings.rotateTitle")}
          confirmLabel={t("settings.rotateConfirm")}
          pending={rotate.isPending}
          onConfirm={() => rotate.mutate({ siteId })}
          onClose={() => setConfirming(null)}
        >
          {t("settings.rotateBody")}
        </ConfirmDialog>
      )}
      {confirming === "delete" && (
        <ConfirmDialog
          title={t("settings.deleteTitle")}
          confirmLabel={t("settings.deleteConfirm")}
          tone="danger"
          pending={remove.isPending}
          onConfirm={() => remove.mutate({ siteId })}
          onClose={() => setConfirming(null)}
        >
          {t("settings.deleteBody")}
        </ConfirmDialog>
      )}
    </div>
  );
}
