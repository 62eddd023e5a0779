"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { type FormEvent, useState } from "react";
import { useCurrentDomain } from "@/components/domain/current-domain.tsx";
import { EmptyState } from "@/components/empty-state.tsx";
import { LocalTime } from "@/components/local-time.tsx";
import { PageHeader } from "@/components/page-header.tsx";
import { ProvisioningTabs } from "@/components/provisioning/provisioning-tabs.tsx";
import { Button } from "@/components/ui/button.tsx";
import { ConfirmDialog } from "@/components/ui/confirm-dialog.tsx";
import { ErrorNotice, Notice } from "@/components/ui/error-notice.tsx";
import { TextField } from "@/components/ui/field.tsx";
import { useTRPC } from "@/trpc/client.tsx";
import type { RouterOutputs } from "@/trpc/types.ts";

type Subscriber = RouterOutputs["provisioning"]["subscribers"][number];
type Line = Subscriber["lines"][number];

const PAGE = 25;

export function SubscribersView() {
  const current = useCurrentDomain();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const query = useSearchParams().get("q") ?? "";
  const [limit, setLimit] = useState(PAGE);
  const subscribers = useQuery(
    trpc.provisioning.subscribers.queryOptions(
      { tenantId: current.domain.id, query, limit },
      { placeholderData: keepPreviousData },
    ),
  );
  const [creating, setCreating] = useState(false);
  const [addingLineTo, setAddingLineTo] = useState<Subscriber | null>(null);
  const [ending, setEnding] = useState<{ subscriber: Subscriber; line: Line } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const canManage = current.can("provisioning.manage");
  const changed = (message: string) => {
    setNotice(message);
    void queryClient.invalidateQueries({ queryKey: trpc.provisioning.pathKey() });
  };
  const search = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const q = String(new FormData(event.currentTarget).get("q") ?? "").trim();
    setLimit(PAGE);
    router.replace(current.withDomain("/provisioning/subscribers", { q: q || undefined }), { scroll: false });
  };
  const rows = subscribers.data ?? [];

  return (
    <>
      <PageHeader
        title="Provisioning"
        description={`Subscribers of ${current.domain.name} and the domains below, their lines and the devices on them.`}
        actions={
          canManage && (
            <Button tone="primary" onClick={() => setCreating((c) => !c)} aria-expanded={creating}>
              New subscriber
            </Button>
          )
        }
      />
      <ProvisioningTabs />
      <div className="mb-4 space-y-3">
        {notice && <Notice>{notice}</Notice>}
        {creating && (
          <NewSubscriberForm
            tenantId={current.domain.id}
            onCancel={() => setCreating(false)}
            onCreated={(externalId) => {
              setCreating(false);
              changed(`Created subscriber ${externalId}. Add its line next, with the LOID or SLID of its ONT.`);
            }}
          />
        )}
      </div>
      <search className="mb-4 block">
        <form aria-label="Search subscribers" onSubmit={search} className="flex items-end gap-2">
          <label className="block text-sm font-medium text-slate-700">
            Search
            <input
              key={query}
              name="q"
              type="search"
              defaultValue={query}
              placeholder="Subscriber id, name, address, LOID or SLID"
              className="mt-1 block w-80 rounded-md border border-slate-300 px-2.5 py-1.5 text-sm font-normal shadow-sm focus:border-sky-600 focus:outline-none focus:ring-1 focus:ring-sky-600"
            />
          </label>
          <Button type="submit">Search</Button>
        </form>
      </search>
      <ErrorNotice error={subscribers.error} />
      {subscribers.isPending && <p className="text-sm text-slate-500">Loading subscribers…</p>}
      {subscribers.data && rows.length === 0 && (
        <EmptyState title={query ? `No subscriber matches “${query}”` : "No subscribers yet"}>
          {query
            ? "Search by the subscriber id, a part of the name or address, or the LOID or SLID of a line."
            : canManage
              ? "Create subscribers with “New subscriber” and give each line its LOID or SLID; their ONTs are then provisioned by themselves when they first call Beacon."
              : "An operator of this domain adds subscribers and their lines."}
        </EmptyState>
      )}
      <ul className="space-y-3">
        {rows.map((s) => (
          <li key={s.id} className="rounded-lg border border-slate-200 bg-white p-4">
            <div className="flex flex-wrap items-start justify-between gap-2">
              <div>
                <p className="font-semibold">
                  <span className="font-mono">{s.externalId}</span> {s.name}
                </p>
                <p className="text-sm text-slate-600">
                  {s.address || "No address"} · {s.tenant.name}
                </p>
              </div>
              {canManage && (
                <Button size="sm" onClick={() => setAddingLineTo(s)} aria-label={`Add a line to ${s.externalId}`}>
                  Add a line
                </Button>
              )}
            </div>
            {s.lines.length === 0 ? (
              <p className="mt-2 text-sm text-slate-600">No line yet: add one with the LOID or SLID of its ONT.</p>
            ) : (
              <table className="mt-3 min-w-full text-left text-sm">
                <thead className="text-xs uppercase tracking-wide text-slate-600">
                  <tr>
                    <th scope="col" className="py-1 pr-3">
                      Line
                    </th>
                    <th scope="col" className="py-1 pr-3">
                      LOID / SLID
                    </th>
                    <th scope="col" className="py-1 pr-3">
                      Plan
                    </th>
                    <th scope="col" className="py-1 pr-3">
                      Device
                    </th>
                    <th scope="col" className="py-1">
                      <span className="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {s.lines.map((line) => (
                    <tr key={line.id} className={line.terminatedAt ? "text-slate-500" : ""}>
                      <td className="py-1.5 pr-3">
                        {line.number}
                        {line.phoneNumber && <span className="block text-xs">{line.phoneNumber}</span>}
                      </td>
                      <td className="py-1.5 pr-3 font-mono text-xs">
                        {line.loid ?? "—"} / {line.slid ?? "—"}
                      </td>
                      <td className="py-1.5 pr-3">{line.servicePlan || "—"}</td>
                      <td className="py-1.5 pr-3">
                        {line.terminatedAt ? (
                          <span>
                            Contract ended <LocalTime value={line.terminatedAt} />
                          </span>
                        ) : line.device ? (
                          <Link
                            href={current.withDomain(`/devices/${line.device.id}`)}
                            className="font-mono text-sky-800 hover:underline"
                          >
                            {line.device.serialNumber}
                          </Link>
                        ) : line.assignment ? (
                          <span>
                            Waiting for{" "}
                            <span className="font-mono">
                              {line.assignment.serialNumber ?? line.assignment.macAddress ?? line.assignment.loid}
                            </span>
                          </span>
                        ) : (
                          <span className="text-slate-500">None yet</span>
                        )}
                      </td>
                      <td className="py-1.5 text-right">
                        {canManage && !line.terminatedAt && (
                          <Button
                            size="sm"
                            tone="danger"
                            onClick={() => setEnding({ subscriber: s, line })}
                            aria-label={`End the contract of line ${line.number} of ${s.externalId}`}
                          >
                            End contract…
                          </Button>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </li>
        ))}
      </ul>
      {rows.length >= limit && (
        <div className="mt-3">
          <Button size="sm" onClick={() => setLimit((l) => l + PAGE)} disabled={subscribers.isFetching}>
            Show more subscribers
          </Button>
        </div>
      )}
      {addingLineTo && (
        <AddLineDialog
          subscriber={addingLineTo}
          onClose={() => setAddingLineTo(null)}
          onAdded={(number) => {
            setAddingLineTo(null);
            changed(`Added line ${number} to subscriber ${addingLineTo.externalId}.`);
          }}
        />
      )}
      {ending && (
        <EndContractDialog
          subscriber={ending.subscriber}
          line={ending.line}
          onClose={() => setEnding(null)}
          onEnded={(message) => {
            setEnding(null);
            changed(message);
          }}
        />
      )}
    </>
  );
}

function NewSubscriberForm({
  tenantId,
  onCancel,
  onCreated,
}: {
  tenantId: string;
  onCancel: () => void;
  onCreated: (externalId: string) => void;
}) {
  const trpc = useTRPC();
  const create = useMutation(
    trpc.provisioning.createSubscriber.mutationOptions({ onSuccess: (s) => onCreated(s.externalId) }),
  );
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    create.mutate({
      tenantId,
      externalId: String(form.get("externalId") ?? ""),
      name: String(form.get("name") ?? ""),
      address: String(form.get("address") ?? ""),
    });
  };
  return (
    <form
      onSubmit={submit}
      aria-labelledby="new-subscriber-heading"
      className="space-y-4 rounded-lg border border-slate-200 bg-white p-4"
    >
      <h2 id="new-subscriber-heading" className="text-base font-semibold">
        New subscriber
      </h2>
      <ErrorNotice error={create.error} focus />
      <div className="grid gap-4 sm:grid-cols-3">
        <TextField label="Subscriber id" name="externalId" required maxLength={64} hint="Your own id, e.g. S-1007" />
        <TextField label="Name" name="name" maxLength={200} />
        <TextField label="Address" name="address" maxLength={500} />
      </div>
      <div className="flex gap-2">
        <Button type="submit" tone="primary" disabled={create.isPending}>
          {create.isPending ? "Creating…" : "Create subscriber"}
        </Button>
        <Button onClick={onCancel}>Cancel</Button>
      </div>
    </form>
  );
}

function AddLineDialog({
  subscriber,
  onClose,
  onAdded,
}: {
  subscriber: Subscriber;
  onClose: () => void;
  onAdded: (number: string) => void;
}) {
  const trpc = useTRPC();
  const [fields, setFields] = useState({ number: "", loid: "", slid: "", servicePlan: "", phoneNumber: "" });
  const add = useMutation(trpc.provisioning.createLine.mutationOptions({ onSuccess: (line) => onAdded(line.number) }));
  const set = (key: keyof typeof fields) => (event: { target: { value: string } }) =>
    setFields((f) => ({ ...f, [key]: event.target.value }));
  return (
    <ConfirmDialog
      title={`New line for ${subscriber.externalId}`}
      confirmLabel="Add line"
      pending={add.isPending}
      onClose={onClose}
      onConfirm={() =>
        add.mutate({
          subscriberId: subscriber.id,
          ...Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v.trim() || undefined])),
        })
      }
    >
      <TextField label="Line number" value={fields.number} onChange={set("number")} placeholder="1" />
      <TextField label="LOID" value={fields.loid} onChange={set("loid")} hint="The ONT is recognised by it." />
      <TextField label="SLID" value={fields.slid} onChange={set("slid")} />
      <TextField label="Service plan" value={fields.servicePlan} onChange={set("servicePlan")} />
      <TextField label="Phone number" value={fields.phoneNumber} onChange={set("phoneNumber")} />
      <ErrorNotice error={add.error} focus />
    </ConfirmDialog>
  );
}

function EndContractDialog({
  subscriber,
  line,
  onClose,
  onEnded,
}: {
  subscriber: Subscriber;
  line: Line;
  onClose: () => void;
  onEnded: (message: string) => void;
}) {
  const trpc = useTRPC();
  const [factoryReset, setFactoryReset] = useState(true);
  const [typed, setTyped] = useState("");
  const end = useMutation(
    trpc.provisioning.endContract.mutationOptions({
      onSuccess: (ended) =>
        onEnded(
          `Ended the contract of line ${line.number} of ${subscriber.externalId}${
            ended.factoryResetQueued ? "; its device is reset to factory settings at its next contact" : ""
          }.`,
        ),
    }),
  );
  return (
    <ConfirmDialog
      title={`End the contract of line ${line.number} of ${subscriber.externalId}?`}
      confirmLabel="End contract"
      tone="danger"
      pending={end.isPending}
      confirmDisabled={typed.trim() !== subscriber.externalId}
      onClose={onClose}
      onConfirm={() => end.mutate({ lineId: line.id, factoryReset })}
    >
      <p>
        The line is closed for good and its device released
        {line.device ? (
          <>
            {" "}
            (<span className="font-mono">{line.device.serialNumber}</span>)
          </>
        ) : null}
        . This cannot be undone.
      </p>
      {line.device && (
        <label className="flex items-center gap-2">
          <input type="checkbox" checked={factoryReset} onChange={(e) => setFactoryReset(e.target.checked)} />
          Reset the device to factory settings (erases the subscriber's WiFi and credentials)
        </label>
      )}
      <TextField
        label={`Type ${subscriber.externalId} to confirm`}
        value={typed}
        onChange={(e) => setTyped(e.target.value)}
        autoComplete="off"
      />
      <ErrorNotice error={end.error} focus />
    </ConfirmDialog>
  );
}
