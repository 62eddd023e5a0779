"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useCurrentDomain } from "@/components/domain/current-domain.tsx";
import { EmptyState } from "@/components/empty-state.tsx";
import { DOMAIN_KIND_NAMES, NEW_DOMAIN_KINDS, ROLE_NAMES } from "@/components/labels.ts";
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
        title="Domains"
        description={`${current.domain.name} and the domains below it: integrators, customers and sites, each with its own devices and users.`}
        actions={
          current.can("tenant.manage") && (
            <Button tone="primary" onClick={() => setCreating((c) => !c)} aria-expanded={creating}>
              New domain
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
            changed(`Created ${name}.`);
          }}
        />
      )}
      <ErrorNotice error={tree.error} />
      {tree.data && below.length === 0 && (
        <EmptyState title={`No domains below ${current.domain.name} yet`}>
          {current.can("tenant.manage")
            ? "Create a domain for each customer or site with “New domain”, then move its devices there and invite its people."
            : "An owner of this domain can create domains below it for customers and sites."}
        </EmptyState>
      )}
      {below.length > 0 && (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="min-w-full text-left text-sm">
            <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-600">
              <tr>
                <th scope="col" className="px-3 py-2">
                  Name
                </th>
                <th scope="col" className="px-3 py-2">
                  Kind
                </th>
                <th scope="col" className="px-3 py-2">
                  Devices here
                </th>
                <th scope="col" className="px-3 py-2">
                  Your role
                </th>
                <th scope="col" className="px-3 py-2">
                  <span className="sr-only">Actions</span>
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
                        aria-label={`Open ${domain.name}`}
                      >
                        {domain.name}
                      </button>
                    </span>
                  </td>
                  <td className="px-3 py-2">{DOMAIN_KIND_NAMES[domain.kind]}</td>
                  <td className="px-3 py-2">{domain.deviceCount}</td>
                  <td className="px-3 py-2">{domain.role ? ROLE_NAMES[domain.role] : "—"}</td>
                  <td className="px-3 py-2 text-right">
                    {domain.role === "owner" && (
                      <span className="inline-flex gap-2">
                        <Button size="sm" onClick={() => setRenaming(domain)} aria-label={`Rename ${domain.name}`}>
                          Rename
                        </Button>
                        <Button size="sm" onClick={() => setMoving(domain)} aria-label={`Move ${domain.name}`}>
                          Move
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
            changed(`Renamed ${renaming.name} to ${name}.`);
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
            changed(`Moved ${moving.name} under ${parentName}.`);
          }}
        />
      )}
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
        New domain
      </h2>
      <ErrorNotice error={create.error} focus />
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField label="Name" name="name" required maxLength={100} placeholder="e.g. Hotel Lisboa Centro" />
        <SelectField
          label="Kind"
          name="kind"
          defaultValue="site"
          options={NEW_DOMAIN_KINDS.map((kind) => ({ value: kind, label: DOMAIN_KIND_NAMES[kind] }))}
        />
        <SelectField
          label="Parent domain"
          name="parentId"
          defaultValue={defaultParentId}
          options={parents.map((d) => ({ value: d.id, label: d.path.join(" / ") }))}
        />
        <TextField
          label="Time zone"
          name="timeZone"
          placeholder="Same as the parent"
          hint="An IANA name such as Europe/Lisbon; used for maintenance windows."
        />
      </div>
      <div className="flex gap-2">
        <Button type="submit" tone="primary" disabled={create.isPending}>
          {create.isPending ? "Creating…" : "Create domain"}
        </Button>
        <Button onClick={onCancel}>Cancel</Button>
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
  const trpc = useTRPC();
  const [name, setName] = useState(domain.name);
  const rename = useMutation(trpc.domains.rename.mutationOptions({ onSuccess: () => onRenamed(name.trim()) }));
  return (
    <ConfirmDialog
      title={`Rename ${domain.name}`}
      confirmLabel="Rename"
      pending={rename.isPending}
      confirmDisabled={!name.trim() || name.trim() === domain.name}
      onClose={onClose}
      onConfirm={() => rename.mutate({ id: domain.id, name })}
    >
      <TextField label="New name" value={name} onChange={(event) => setName(event.target.value)} maxLength={100} />
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
  const trpc = useTRPC();
  const [parentId, setParentId] = useState("");
  const move = useMutation(
    trpc.domains.move.mutationOptions({
      onSuccess: () => onMoved(parents.find((p) => p.id === parentId)?.name ?? "the new parent"),
    }),
  );
  return (
    <ConfirmDialog
      title={`Move ${domain.name}`}
      confirmLabel="Move domain"
      pending={move.isPending}
      confirmDisabled={!parentId}
      onClose={onClose}
      onConfirm={() => move.mutate({ id: domain.id, parentId })}
    >
      <p>The domain moves with everything below it: its domains, devices and people&apos;s roles.</p>
      <SelectField
        label="New parent"
        value={parentId}
        onChange={(event) => setParentId(event.target.value)}
        options={[
          { value: "", label: "Choose a domain…" },
          ...parents.map((d) => ({ value: d.id, label: d.path.join(" / ") })),
        ]}
      />
      <ErrorNotice error={move.error} focus />
    </ConfirmDialog>
  );
}
