"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useDeferredValue, useId, useState } from "react";
import { Button } from "@/components/ui/button.tsx";
import { ConfirmDialog } from "@/components/ui/confirm-dialog.tsx";
import { ErrorNotice } from "@/components/ui/error-notice.tsx";
import { useTRPC } from "@/trpc/client.tsx";
import type { RouterOutputs } from "@/trpc/types.ts";
import type { Device } from "./device-view.tsx";

type ParameterNode = RouterOutputs["devices"]["parameters"][number];

interface TreeContext {
  deviceId: string;
  canSet: boolean;
  canRefresh: boolean;
  canReveal: boolean;
  edit: (node: ParameterNode) => void;
  refresh: (path: string) => void;
}

/** The device's parameters as Beacon last read them, one level at a time, with search. */
export function ParameterTree({ device, onQueued }: { device: Device; onQueued: (message: string) => void }) {
  const t = useTranslations("device.parameters");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const searchId = useId();
  const [search, setSearch] = useState("");
  const query = useDeferredValue(search.trim());
  const [editing, setEditing] = useState<ParameterNode | null>(null);
  const refresh = useMutation(
    trpc.devices.act.mutationOptions({
      onSuccess: (_, variables) => {
        const path = variables.action.kind === "refresh" ? variables.action.path : "";
        onQueued(t("refreshQueued", { path: path || t("allParameters") }));
        void queryClient.invalidateQueries({ queryKey: trpc.devices.tasks.queryKey({ deviceId: device.id }) });
      },
    }),
  );
  const context: TreeContext = {
    deviceId: device.id,
    canSet: device.permissions.includes("device.setParameter"),
    canRefresh: device.permissions.includes("device.refresh"),
    canReveal: device.permissions.includes("secret.reveal"),
    edit: setEditing,
    refresh: (path) => refresh.mutate({ deviceId: device.id, action: { kind: "refresh", path } }),
  };

  return (
    <section aria-labelledby="parameters-heading">
      <div className="mb-3 flex flex-wrap items-end justify-between gap-3">
        <h2 id="parameters-heading" className="text-base font-semibold">
          {t("title")}
        </h2>
        <div>
          <label htmlFor={searchId} className="block text-sm font-medium text-slate-700">
            {t("search")}
          </label>
          <input
            id={searchId}
            type="search"
            value={search}
            onChange={(event) => setSearch(event.target.value)}
            placeholder={t("searchPlaceholder")}
            className="mt-1 block w-72 rounded-md border border-slate-300 px-2.5 py-1.5 text-sm shadow-sm focus:border-sky-600 focus:outline-none focus:ring-1 focus:ring-sky-600"
          />
        </div>
      </div>
      <ErrorNotice error={refresh.error} focus />
      <div className="rounded-lg border border-slate-200 bg-white p-3 text-sm">
        {device.parameterCount === 0 ? (
          <div className="py-6 text-center text-slate-600">
            <p>{t("notRead")}</p>
            {context.canRefresh && (
              <p className="mt-2">
                <Button onClick={() => context.refresh("")}>{t("readAll")}</Button>
              </p>
            )}
          </div>
        ) : query ? (
          <SearchResults context={context} query={query} />
        ) : (
          <ul aria-label={t("treeLabel")} className="space-y-0.5">
            <TreeLevel context={context} prefix="" />
          </ul>
        )}
      </div>
      {editing && (
        <SetParameterDialog
          deviceId={device.id}
          node={editing}
          onClose={() => setEditing(null)}
          onQueued={(message) => {
            setEditing(null);
            onQueued(message);
          }}
        />
      )}
    </section>
  );
}

function TreeLevel({ context, prefix }: { context: TreeContext; prefix: string }) {
  const t = useTranslations("device.parameters");
  const trpc = useTRPC();
  const nodes = useQuery(trpc.devices.parameters.queryOptions({ deviceId: context.deviceId, prefix }));
  if (nodes.error) {
    return (
      <li>
        <ErrorNotice error={nodes.error} />
      </li>
    );
  }
  if (!nodes.data) return <li className="px-2 py-1 text-slate-500">{t("loading")}</li>;
  if (nodes.data.length === 0) return <li className="px-2 py-1 text-slate-500">{t("empty")}</li>;
  return nodes.data.map((node) =>
    node.isObject ? (
      <ObjectNode key={node.name} context={context} node={node} />
    ) : (
      <LeafNode key={node.name} context={context} node={node} />
    ),
  );
}

function ObjectNode({ context, node }: { context: TreeContext; node: ParameterNode }) {
  const t = useTranslations("device.parameters");
  const [open, setOpen] = useState(false);
  return (
    <li>
      <div className="group flex items-center gap-2 rounded px-1 hover:bg-slate-50">
        <button
          type="button"
          aria-expanded={open}
          onClick={() => setOpen((o) => !o)}
          className="flex items-center gap-1 py-1 text-left font-medium text-slate-800"
        >
          <span aria-hidden="true" className="inline-block w-3 text-slate-500">
            {open ? "▾" : "▸"}
          </span>
          <span className="font-mono">{node.label}</span>
          <span className="sr-only">({node.name})</span>
        </button>
        {context.canRefresh && (
          <Button
            size="sm"
            tone="quiet"
            className="opacity-70 group-hover:opacity-100"
            aria-label={t("refreshNamed", { name: node.name })}
            onClick={() => context.refresh(node.name)}
          >
            {t("refresh")}
          </Button>
        )}
      </div>
      {open && (
        <ul className="ml-4 border-l border-slate-200 pl-2">
          <TreeLevel context={context} prefix={node.name} />
        </ul>
      )}
    </li>
  );
}

function LeafNode({ context, node }: { context: TreeContext; node: ParameterNode }) {
  const t = useTranslations("device.parameters");
  return (
    <li className="grid grid-cols-[minmax(10rem,1fr)_minmax(8rem,2fr)_auto] items-center gap-3 rounded px-1 py-1 hover:bg-slate-50">
      <span className="truncate pl-4 font-mono text-slate-700" title={node.name}>
        {node.label}
      </span>
      <span className="break-all font-mono text-slate-900">
        {node.secret && node.value !== null ? (
          <SecretValue context={context} node={node} />
        ) : (
          (node.value ?? <span className="text-slate-400">{t("noValue")}</span>)
        )}
        {node.type && <span className="ml-2 text-xs text-slate-500">{node.type.replace(/^xsd:/, "")}</span>}
        {node.writable === false && <span className="ml-2 text-xs text-slate-500">{t("readOnly")}</span>}
      </span>
      <span>
        {context.canSet && node.writable !== false && (
          <Button size="sm" aria-label={t("changeNamed", { name: node.name })} onClick={() => context.edit(node)}>
            {t("change")}
          </Button>
        )}
      </span>
    </li>
  );
}

/** A password, passphrase or key: masked, and revealed only on request (each reveal is audited). */
function SecretValue({ context, node }: { context: TreeContext; node: ParameterNode }) {
  const t = useTranslations("device.parameters");
  const trpc = useTRPC();
  const reveal = useMutation(trpc.devices.revealParameter.mutationOptions());
  if (reveal.data) return <span data-testid="revealed-secret">{reveal.data.value ?? t("noValue")}</span>;
  return (
    <>
      <span title={t("hidden")}>{node.value}</span>
      {context.canReveal && (
        <Button
          size="sm"
          tone="quiet"
          className="ml-2"
          aria-label={t("revealNamed", { name: node.name })}
          disabled={reveal.isPending}
          onClick={() => reveal.mutate({ deviceId: context.deviceId, name: node.name })}
        >
          {t("reveal")}
        </Button>
      )}
      <ErrorNotice error={reveal.error} />
    </>
  );
}

function SearchResults({ context, query }: { context: TreeContext; query: string }) {
  const t = useTranslations("device.parameters");
  const trpc = useTRPC();
  const results = useQuery(trpc.devices.searchParameters.queryOptions({ deviceId: context.deviceId, query }));
  if (results.error) return <ErrorNotice error={results.error} />;
  if (!results.data) return <p className="px-2 py-1 text-slate-500">{t("searching")}</p>;
  if (results.data.matches.length === 0) return <p className="px-2 py-1 text-slate-600">{t("noMatch", { query })}</p>;
  return (
    <>
      <ul aria-label={t("matchingLabel")} className="space-y-0.5">
        {results.data.matches.map((node) => (
          <LeafNode key={node.name} context={context} node={{ ...node, label: node.name }} />
        ))}
      </ul>
      {results.data.truncated && <p className="mt-2 px-2 text-xs text-slate-500">{t("truncated")}</p>}
    </>
  );
}

function SetParameterDialog({
  deviceId,
  node,
  onClose,
  onQueued,
}: {
  deviceId: string;
  node: ParameterNode;
  onClose: () => void;
  onQueued: (message: string) => void;
}) {
  const t = useTranslations("device.parameters");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const inputId = useId();
  const [value, setValue] = useState(node.secret ? "" : (node.value ?? ""));
  const boolean = node.type === "xsd:boolean";
  const set = useMutation(
    trpc.devices.act.mutationOptions({
      onSuccess: () => {
        onQueued(t("changeQueued", { name: node.name }));
        void queryClient.invalidateQueries({ queryKey: trpc.devices.tasks.queryKey({ deviceId }) });
      },
    }),
  );
  return (
    <ConfirmDialog
      title={t("dialogTitle")}
      confirmLabel={t("setValue")}
      pending={set.isPending}
      confirmDisabled={node.secret ? value === "" : value === (node.value ?? "")}
      onClose={onClose}
      onConfirm={() =>
        set.mutate({ deviceId, action: { kind: "setParameterValues", values: [{ name: node.name, value }] } })
      }
    >
      <p className="break-all font-mono text-xs">{node.name}</p>
      <p>
        {t.rich("currentValue", {
          value: () => <span className="font-mono">{node.value ?? t("none")}</span>,
        })}
      </p>
      <div>
        <label htmlFor={inputId} className="block text-sm font-medium text-slate-700">
          {t("newValue")}
        </label>
        {boolean ? (
          <select
            id={inputId}
            value={value}
            onChange={(event) => setValue(event.target.value)}
            className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm"
          >
            <option value="true">true</option>
            <option value="false">false</option>
          </select>
        ) : (
          <input
            id={inputId}
            value={value}
            onChange={(event) => setValue(event.target.value)}
            className="mt-1 block w-full rounded-md border border-slate-300 px-2.5 py-1.5 font-mono text-sm"
          />
        )}
      </div>
      <p className="text-xs text-slate-500">{t("applies")}</p>
      <ErrorNotice error={set.error} focus />
    </ConfirmDialog>
  );
}
