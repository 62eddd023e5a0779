"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { type FormEvent, useState } from "react";
import { useCurrentDomain } from "@/components/domain/current-domain.tsx";
import { DomainLanguages } from "@/components/domain/domain-languages.tsx";
import { EmptyState } from "@/components/empty-state.tsx";
import { NEW_DOMAIN_KINDS } from "@/components/labels.ts";
import { PageHeader } from "@/components/page-header.tsx";
import { Button } from "@/components/ui/button.tsx";
import { ConfirmDialog } from "@/components/ui/confirm-dialog.tsx";
import { ErrorNotice, Notice } from "@/components/ui/error-notice.tsx";
import { SelectField, TextField } from "@/components/ui/field.tsx";
import { useTRPC } from "@/trpc/client.tsx";
import type { RouterOutputs } from "@/trpc/types.ts";

type DomainItem = RouterOutputs["domains"]["list"][number];
type Kind = (typeof NEW_DOMAIN_KINDS)[number];

export function DomainsView() {
  const t = useTranslations("domains");
  const tCommon = useTranslations("common");
  const current = useCurrentDomain();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const tree = useQuery(trpc.domains.list.queryOptions({ underId: current.domain.id }));
  const [creating, setCreating] = useState(false);
  const [renaming, setRenaming] = useState<DomainItem | null>(null);
  const [moving, setMoving] = useState<DomainItem | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const manageable = (tree.data ?? []).filter((d) => d.role === "owner");
  const changed = (message: string) => {
    setNotice(message);
    void queryClient.invalidateQueries({ queryKey: trpc.domains.pathKey() });
  };
  const below = (tree.data ?? []).filter((d) => d.id !== current.domain.id);
  const baseDepth = current.domain.pathIds.length;

  return (
    <>
      <PageHeader
        title={t("title")}
        description={t("description", { domain: current.domain.name })}
        actions={
          current.can("tenant.manage") && (
            <Button tone="primary" onClick={() => setCreating((c) => !c)} aria-expanded={creating}>
              {t("new")}
            </Button>
          )
        }
      />
      <div className="mb-4 space-y-3">{notice && <Notice>{notice}</Notice>}</div>
      {creating && (
        <CreateDomainForm
          parents={manageable}
          defaultParentId={current.domain.id}
          onCancel={() => setCreating(false)}
          onCreated={(name) => {
            setCreating(false);
            changed(t("created", { name }));
          }}
        />
      )}
      <ErrorNotice error={tree.error} />
      {tree.data && below.length === 0 && (
        <EmptyState title={t("emptyTitle", { domain: current.domain.name })}>
          {current.can("tenant.manage") ? t("emptyManage") : t("emptyView")}
        </EmptyState>
      )}
      {below.length > 0 && (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="min-w-full text-left text-sm">
            <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-600">
              <tr>
                <th scope="col" className="px-3 py-2">
                  {t("name")}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t("kind")}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t("devicesHere")}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t("yourRole")}
                </th>
                <th scope="col" className="px-3 py-2">
                  <span className="sr-only">{t("actions")}</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {below.map((domain) => (
                <tr key={domain.id}>
                  <td className="px-3 py-2">
                    <span style={{ paddingLeft: `${(domain.pathIds.length - baseDepth - 1) * 1.25}rem` }}>
                      <button
                        type="button"
                        onClick={() => current.switchTo(domain.id)}
                        className="font-medium text-sky-800 hover:underline"
                        aria-label={t("open", { name: domain.name })}
                      >
                        {domain.name}
                      </button>
                    </span>
                  </td>
                  <td className="px-3 py-2">{tCommon(`domainKinds.${domain.kind}`)}</td>
                  <td className="px-3 py-2">{domain.deviceCount}</td>
                  <td className="px-3 py-2">{domain.role ? tCommon(`roles.${domain.role}`) : "—"}</td>
                  <td className="px-3 py-2 text-right">
                    {domain.role === "owner" && (
                      <span className="inline-flex gap-2">
                        <Button
                          size="sm"
                          onClick={() => setRenaming(domain)}
                          aria-label={t("renameLabel", { name: domain.name })}
                        >
                          {t("rename")}
                        </Button>
                        <Button
                          size="sm"
                          onClick={() => setMoving(domain)}
                          aria-label={t("moveLabel", { name: domain.name })}
                        >
                          {t("move")}
                        </Button>
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {renaming && (
        <RenameDomainDialog
          domain={renaming}
          onClose={() => setRenaming(null)}
          onRenamed={(name) => {
            setRenaming(null);
            changed(t("renamed", { from: renaming.name, to: name }));
          }}
        />
      )}
      {moving && (
        <MoveDomainDialog
          domain={moving}
          parents={manageable.filter((d) => !d.pathIds.includes(moving.id) && d.id !== moving.parentId)}
          onClose={() => setMoving(null)}
          onMoved={(parentName) => {
            setMoving(null);
            changed(t("moved", { name: moving.name, parent: parentName }));
          }}
        />
      )}
      {current.can("tenant.manage") && <DomainLanguages key={current.domain.id} current={current} />}
    </>
  );
}

function CreateDomainForm({
  parents,
  defaultParentId,
  onCancel,
  onCreated,
}: {
  parents: DomainItem[];
  defaultParentId: string;
  onCancel: () => void;
  onCreated: (name: string) => void;
}) {
  const t = useTranslations("domains");
  const tCommon = useTranslations("common");
  const trpc = useTRPC();
  const create = useMutation(
    trpc.domains.create.mutationOptions({ onSuccess: (_, input) => onCreated(input.name.trim()) }),
  );
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    create.mutate({
      name: String(form.get("name") ?? ""),
      kind: String(form.get("kind")) as Kind,
      parentId: String(form.get("parentId")),
      timeZone: String(form.get("timeZone") ?? "").trim() || undefined,
    });
  };
  return (
    <form
      onSubmit={submit}
      aria-labelledby="new-domain-heading"
      className="mb-6 space-y-4 rounded-lg border border-slate-200 bg-white p-4"
    >
      <h2 id="new-domain-heading" className="text-base font-semibold">
        {t("new")}
      </h2>
      <ErrorNotice error={create.error} focus />
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField label={t("name")} name="name" required maxLength={100} placeholder={t("form.namePlaceholder")} />
        <SelectField
          label={t("kind")}
          name="kind"
          defaultValue="site"
          options={NEW_DOMAIN_KINDS.map((kind) => ({ value: kind, label: tCommon(`domainKinds.${kind}`) }))}
        />
        <SelectField
          label={t("form.parent")}
          name="parentId"
          defaultValue={defaultParentId}
          options={parents.map((d) => ({ value: d.id, label: d.path.join(" / ") }))}
        />
        <TextField
          label={t("form.timeZone")}
          name="timeZone"
          placeholder={t("form.timeZonePlaceholder")}
          hint={t("form.timeZoneHint")}
        />
      </div>
      <div className="flex gap-2">
        <Button type="submit" tone="primary" disabled={create.isPending}>
          {create.isPending ? t("form.creating") : t("form.create")}
        </Button>
        <Button onClick={onCancel}>{tCommon("actions.cancel")}</Button>
      </div>
    </form>
  );
}

function RenameDomainDialog({
  domain,
  onClose,
  onRenamed,
}: {
  domain: DomainItem;
  onClose: () => void;
  onRenamed: (name: string) => void;
}) {
  const t = useTranslations("domains");
  const trpc = useTRPC();
  const [name, setName] = useState(domain.name);
  const rename = useMutation(trpc.domains.rename.mutationOptions({ onSuccess: () => onRenamed(name.trim()) }));
  return (
    <ConfirmDialog
      title={t("renameDialog.title", { name: domain.name })}
      confirmLabel={t("rename")}
      pending={rename.isPending}
      confirmDisabled={!name.trim() || name.trim() === domain.name}
      onClose={onClose}
      onConfirm={() => rename.mutate({ id: domain.id, name })}
    >
      <TextField
        label={t("renameDialog.newName")}
        value={name}
        onChange={(event) => setName(event.target.value)}
        maxLength={100}
      />
      <ErrorNotice error={rename.error} focus />
    </ConfirmDialog>
  );
}

function MoveDomainDialog({
  domain,
  parents,
  onClose,
  onMoved,
}: {
  domain: DomainItem;
  parents: DomainItem[];
  onClose: () => void;
  onMoved: (parentName: string) => void;
}) {
  const t = useTranslations("domains");
  const trpc = useTRPC();
  const [parentId, setParentId] = useState("");
  const move = useMutation(
    trpc.domains.move.mutationOptions({
      onSuccess: () => onMoved(parents.find((p) => p.id === parentId)?.name ?? t("moveDialog.theNewParent")),
    }),
  );
  return (
    <ConfirmDialog
      title={t("moveDialog.title", { name: domain.name })}
      confirmLabel={t("moveDialog.confirm")}
      pending={move.isPending}
      confirmDisabled={!parentId}
      onClose={onClose}
      onConfirm={() => move.mutate({ id: domain.id, parentId })}
    >
      <p>{t("moveDialog.explain")}</p>
      <SelectField
        label={t("moveDialog.newParent")}
        value={parentId}
        onChange={(event) => setParentId(event.target.value)}
        options={[
          { value: "", label: t("moveDialog.choose") },
          ...parents.map((d) => ({ value: d.id, label: d.path.join(" / ") })),
        ]}
      />
      <ErrorNotice error={move.error} focus />
    </ConfirmDialog>
  );
}
