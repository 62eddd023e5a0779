"use client";

import type { ApiTokenView } from "@beacon/domain";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useRef, useState } from "react";
import { ROLE_DESCRIPTIONS, ROLE_NAMES } from "@/components/labels.ts";
import { LocalTime } from "@/components/local-time.tsx";
import { Button } from "@/components/ui/button.tsx";
import { ConfirmDialog } from "@/components/ui/confirm-dialog.tsx";
import { ErrorNotice } from "@/components/ui/error-notice.tsx";
import { SelectField, TextField } from "@/components/ui/field.tsx";
import { useTRPCClient } from "@/trpc/client.tsx";
import { SecretOnce } from "./secret-once.tsx";

const DAY = 86_400_000;
const LIFETIMES = [
  { value: "7", label: "7 days" },
  { value: "30", label: "30 days" },
  { value: "90", label: "90 days" },
  { value: "365", label: "1 year" },
  { value: "730", label: "2 years" },
];
const ROLE_OPTIONS = (["viewer", "support", "operator", "owner"] as const).map((role) => ({
  value: role,
  label: `${ROLE_NAMES[role]}: ${ROLE_DESCRIPTIONS[role]}`,
}));

const STATUS_STYLES: Record<ApiTokenView["status"], string> = {
  active: "bg-emerald-100 text-emerald-900",
  expired: "bg-slate-200 text-slate-700",
  revoked: "bg-red-100 text-red-900",
};

export function TokensSection({ domainId, domainName }: { domainId: string; domainName: string }) {
  const queryClient = useQueryClient();
  const api = useTRPCClient();
  const queryKey = ["settings", "api-tokens", domainId];
  const tokens = useQuery({ queryKey, queryFn: () => api.apiTokens.list.query({ tenantId: domainId }) });
  const [created, setCreated] = useState<{ token: string; name: string } | null>(null);
  const [revoking, setRevoking] = useState<ApiTokenView | null>(null);
  const form = useRef<HTMLFormElement>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey });

  const create = useMutation({
    mutationFn: (input: { name: string; role: string; days: number }) =>
      api.apiTokens.create.mutate({
        tenantId: domainId,
        name: input.name,
        role: input.role as ApiTokenView["role"],
        expiresAt: new Date(Date.now() + input.days * DAY),
      }),
    onSuccess: (result) => {
      setCreated({ token: result.token, name: result.apiToken.name });
      form.current?.reset();
      void refresh();
    },
  });
  const revoke = useMutation({
    mutationFn: (tokenId: string) => api.apiTokens.revoke.mutate({ tokenId }),
    onSuccess: () => {
      setRevoking(null);
      void refresh();
    },
  });

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const fields = new FormData(event.currentTarget);
    create.mutate({
      name: String(fields.get("name") ?? ""),
      role: String(fields.get("role") ?? "viewer"),
      days: Number(fields.get("days") ?? 90),
    });
  };

  return (
    <section aria-labelledby="tokens-heading" className="space-y-4">
      <div>
        <h2 id="tokens-heading" className="text-base font-semibold text-slate-900">
          API tokens
        </h2>
        <p className="mt-1 text-sm text-slate-600">
          A token lets a program use the REST API on {domainName} and every domain below it, with the role you give it
          (never more than you hold yourself). Every call it makes appears in the audit log as{" "}
          <code className="font-mono text-xs">token:&lt;prefix&gt;</code>.
        </p>
      </div>

      {created && (
        <SecretOnce label={`The token “${created.name}”`} secret={created.token} onDone={() => setCreated(null)}>
          <p>
            Send it as <code className="font-mono text-xs">Authorization: Bearer {created.token.slice(0, 13)}…</code>
          </p>
        </SecretOnce>
      )}

      <form
        ref={form}
        onSubmit={submit}
        className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4 md:grid-cols-4"
      >
        <TextField label="Name" name="name" required maxLength={100} placeholder="e.g. Opera PMS" />
        <SelectField label="Role" name="role" defaultValue="viewer" options={ROLE_OPTIONS} />
        <SelectField label="Expires after" name="days" defaultValue="90" options={LIFETIMES} />
        <div className="flex items-end">
          <Button type="submit" tone="primary" disabled={create.isPending}>
            {create.isPending ? "Creating…" : "Create token"}
          </Button>
        </div>
        <div className="md:col-span-4">
          <ErrorNotice error={create.error} focus />
        </div>
      </form>

      <ErrorNotice error={tokens.error ?? revoke.error} />
      {tokens.data && tokens.data.length === 0 && (
        <p className="text-sm text-slate-600">
          No tokens yet. Create one for each program, so that each can be revoked alone.
        </p>
      )}
      {tokens.data && tokens.data.length > 0 && (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="min-w-full divide-y divide-slate-200 text-sm">
            <thead className="bg-slate-50 text-left text-xs font-medium uppercase tracking-wide text-slate-600">
              <tr>
                <th scope="col" className="px-3 py-2">
                  Token
                </th>
                <th scope="col" className="px-3 py-2">
                  Domain
                </th>
                <th scope="col" className="px-3 py-2">
                  Role
                </th>
                <th scope="col" className="px-3 py-2">
                  Status
                </th>
                <th scope="col" className="px-3 py-2">
                  Expires
                </th>
                <th scope="col" className="px-3 py-2">
                  Last used
                </th>
                <th scope="col" className="px-3 py-2">
                  Created by
                </th>
                <th scope="col" className="px-3 py-2">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {tokens.data.map((token) => (
                <tr key={token.id}>
                  <td className="px-3 py-2">
                    <div className="font-medium text-slate-900">{token.name}</div>
                    <code className="font-mono text-xs text-slate-600">{token.prefix}_…</code>
                  </td>
                  <td className="px-3 py-2 text-slate-700">{token.domain.path.join(" / ")}</td>
                  <td className="px-3 py-2">{ROLE_NAMES[token.role]}</td>
                  <td className="px-3 py-2">
                    <span className={`rounded px-1.5 py-0.5 text-xs font-medium ${STATUS_STYLES[token.status]}`}>
                      {token.status}
                    </span>
                  </td>
                  <td className="px-3 py-2">
                    <LocalTime value={token.expiresAt} />
                  </td>
                  <td className="px-3 py-2">
                    <LocalTime value={token.lastUsedAt} relative />
                  </td>
                  <td className="px-3 py-2 text-slate-700">{token.createdBy}</td>
                  <td className="px-3 py-2 text-right">
                    {token.status !== "revoked" && (
                      <Button size="sm" tone="danger" onClick={() => setRevoking(token)}>
                        Revoke
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {revoking && (
        <ConfirmDialog
          title={`Revoke “${revoking.name}”?`}
          confirmLabel="Revoke token"
          tone="danger"
          pending={revoke.isPending}
          onConfirm={() => revoke.mutate(revoking.id)}
          onClose={() => setRevoking(null)}
        >
          <p>
            Programs using <code className="font-mono text-xs">{revoking.prefix}_…</code> get “401 revoked” from their
            next call on. This cannot be undone.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
