"use client";

import type { WebhookEventType, WebhookView } from "@beacon/domain";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useRef, useState } from "react";
import { LocalTime } from "@/components/local-time.tsx";
import { Button } from "@/components/ui/button.tsx";
import { ConfirmDialog } from "@/components/ui/confirm-dialog.tsx";
import { ErrorNotice, Notice } from "@/components/ui/error-notice.tsx";
import { TextField } from "@/components/ui/field.tsx";
import { useTRPCClient } from "@/trpc/client.tsx";
import { SecretOnce } from "./secret-once.tsx";
import { WebhookDeliveries } from "./webhook-deliveries.tsx";

export interface WebhookEventChoice {
  type: string;
  description: string;
}

type Shown = { kind: "created" | "rotated"; url: string; secret: string; until?: Date };

export function WebhooksSection({
  domainId,
  domainName,
  events,
}: {
  domainId: string;
  domainName: string;
  events: readonly WebhookEventChoice[];
}) {
  const queryClient = useQueryClient();
  const api = useTRPCClient();
  const queryKey = ["settings", "webhooks", domainId];
  const webhooks = useQuery({ queryKey, queryFn: () => api.webhooks.list.query({ tenantId: domainId }) });
  const [shown, setShown] = useState<Shown | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<{ action: "rotate" | "delete"; webhook: WebhookView } | null>(null);
  const form = useRef<HTMLFormElement>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ["settings"] });

  const create = useMutation({
    mutationFn: (input: { url: string; description: string; eventTypes: string[] }) =>
      api.webhooks.create.mutate({ tenantId: domainId, ...input, eventTypes: input.eventTypes as WebhookEventType[] }),
    onSuccess: (result) => {
      setShown({ kind: "created", url: result.webhook.url, secret: result.secret });
      form.current?.reset();
      void refresh();
    },
  });
  const update = useMutation({
    mutationFn: (input: { webhookId: string; enabled: boolean }) => api.webhooks.update.mutate(input),
    onSuccess: (webhook) => {
      setNotice(`${webhook.url} is ${webhook.enabled ? "enabled" : "disabled"}.`);
      void refresh();
    },
  });
  const rotate = useMutation({
    mutationFn: (webhook: WebhookView) => api.webhooks.rotateSecret.mutate({ webhookId: webhook.id }),
    onSuccess: (result, webhook) => {
      setConfirming(null);
      setShown({ kind: "rotated", url: webhook.url, secret: result.secret, until: result.previousSecretExpiresAt });
      void refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (webhook: WebhookView) => api.webhooks.delete.mutate({ webhookId: webhook.id }),
    onSuccess: (_, webhook) => {
      setConfirming(null);
      setNotice(`${webhook.url} is deleted.`);
      void refresh();
    },
  });
  const test = useMutation({
    mutationFn: (webhook: WebhookView) => api.webhooks.sendTest.mutate({ webhookId: webhook.id }),
    onSuccess: (_, webhook) => {
      setOpen(webhook.id);
      setNotice(`A webhook.test message to ${webhook.url} is on its way.`);
      void refresh();
    },
  });

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const fields = new FormData(event.currentTarget);
    create.mutate({
      url: String(fields.get("url") ?? ""),
      description: String(fields.get("description") ?? ""),
      eventTypes: fields.getAll("eventTypes").map(String),
    });
  };
  const failure = webhooks.error ?? update.error ?? test.error;

  return (
    <section aria-labelledby="webhooks-heading" className="space-y-4">
      <div>
        <h2 id="webhooks-heading" className="text-base font-semibold text-slate-900">
          Webhooks
        </h2>
        <p className="mt-1 text-sm text-slate-600">
          Beacon POSTs the events you choose, of {domainName} and every domain below it, to your endpoint, signed per
          the Standard Webhooks specification. An endpoint that does not answer 2xx is retried for 72 hours; one that
          answers 410 Gone is disabled.
        </p>
      </div>

      {shown && (
        <SecretOnce
          label={shown.kind === "created" ? `Signing secret of ${shown.url}` : `New signing secret of ${shown.url}`}
          secret={shown.secret}
          onDone={() => setShown(null)}
        >
          {shown.until && (
            <p>
              Until <LocalTime value={shown.until} /> messages carry a signature with the old secret too, so your
              endpoint keeps working while you switch it over.
            </p>
          )}
        </SecretOnce>
      )}
      {notice && <Notice>{notice}</Notice>}

      <form ref={form} onSubmit={submit} className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
        <div className="grid gap-3 md:grid-cols-2">
          <TextField label="Endpoint URL" name="url" type="url" required placeholder="https://pms.example.com/beacon" />
          <TextField label="Description" name="description" maxLength={200} placeholder="optional" />
        </div>
        <fieldset>
          <legend className="text-sm font-medium text-slate-700">Events</legend>
          <div className="mt-1 grid gap-1 md:grid-cols-2">
            {events.map((event) => (
              <label key={event.type} className="flex items-start gap-2 text-sm">
                <input type="checkbox" name="eventTypes" value={event.type} className="mt-1" />
                <span>
                  <code className="font-mono text-xs">{event.type}</code>
                  <span className="block text-xs text-slate-600">{event.description}</span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>
        <ErrorNotice error={create.error} focus />
        <Button type="submit" tone="primary" disabled={create.isPending}>
          {create.isPending ? "Adding…" : "Add webhook"}
        </Button>
      </form>

      <ErrorNotice error={failure} />
      {webhooks.data && webhooks.data.length === 0 && <p className="text-sm text-slate-600">No webhooks yet.</p>}
      <ul className="space-y-3">
        {webhooks.data?.map((webhook) => (
          <li key={webhook.id} className="rounded-lg border border-slate-200 bg-white p-4">
            <div className="flex flex-wrap items-start justify-between gap-3">
              <div className="min-w-0">
                <p className="break-all font-mono text-sm text-slate-900">{webhook.url}</p>
                <p className="mt-0.5 text-xs text-slate-600">
                  {webhook.domain.path.join(" / ")}
                  {webhook.description ? ` · ${webhook.description}` : ""} · added by {webhook.createdBy}
                </p>
                <p className="mt-1 flex flex-wrap gap-1">
                  {webhook.eventTypes.map((type) => (
                    <code key={type} className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs">
                      {type}
                    </code>
                  ))}
                </p>
                <p className="mt-1 text-sm">
                  {webhook.enabled ? (
                    <span className="text-emerald-800">Enabled</span>
                  ) : (
                    <span className="text-red-800">
                      Disabled{webhook.disabledReason ? `: ${webhook.disabledReason}` : ""}
                    </span>
                  )}
                  <span className="text-slate-600">
                    {" "}
                    · {webhook.pendingDeliveries} waiting · {webhook.failedDeliveries} failed
                  </span>
                  {webhook.previousSecretExpiresAt && (
                    <span className="text-slate-600">
                      {" "}
                      · old secret signs until <LocalTime value={webhook.previousSecretExpiresAt} />
                    </span>
                  )}
                </p>
              </div>
              <div className="flex flex-wrap gap-2">
                <Button size="sm" onClick={() => setOpen(open === webhook.id ? null : webhook.id)}>
                  {open === webhook.id ? "Hide deliveries" : "Deliveries"}
                </Button>
                <Button size="sm" disabled={test.isPending} onClick={() => test.mutate(webhook)}>
                  Send test message
                </Button>
                <Button size="sm" onClick={() => setConfirming({ action: "rotate", webhook })}>
                  Rotate secret
                </Button>
                <Button
                  size="sm"
                  disabled={update.isPending}
                  onClick={() => update.mutate({ webhookId: webhook.id, enabled: !webhook.enabled })}
                >
                  {webhook.enabled ? "Disable" : "Enable"}
                </Button>
                <Button size="sm" tone="danger" onClick={() => setConfirming({ action: "delete", webhook })}>
                  Delete
                </Button>
              </div>
            </div>
            {open === webhook.id && (
              <div className="mt-3">
                <WebhookDeliveries webhookId={webhook.id} />
              </div>
            )}
          </li>
        ))}
      </ul>

      {confirming?.action === "rotate" && (
        <ConfirmDialog
          title="Rotate the signing secret?"
          confirmLabel="Rotate secret"
          pending={rotate.isPending}
          onConfirm={() => rotate.mutate(confirming.webhook)}
          onClose={() => setConfirming(null)}
        >
          <p>
            Beacon creates a new secret and shows it once. For 24 hours messages carry signatures with both the old and
            the new secret; after that only the new one.
          </p>
          <ErrorNotice error={rotate.error} />
        </ConfirmDialog>
      )}
      {confirming?.action === "delete" && (
        <ConfirmDialog
          title="Delete this webhook?"
          confirmLabel="Delete webhook"
          tone="danger"
          pending={remove.isPending}
          onConfirm={() => remove.mutate(confirming.webhook)}
          onClose={() => setConfirming(null)}
        >
          <p>
            <span className="break-all font-mono text-xs">{confirming.webhook.url}</span> gets no more messages, and its
            delivery log is deleted with it.
          </p>
          <ErrorNotice error={remove.error} />
        </ConfirmDialog>
      )}
    </section>
  );
}
