"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { Button } from "@/components/ui/button.tsx";
import { ErrorNotice } from "@/components/ui/error-notice.tsx";
import { TextField } from "@/components/ui/field.tsx";
import { useTRPC } from "@/trpc/client.tsx";
import type { RouterOutputs } from "@/trpc/types.ts";

type Setting = RouterOutputs["templates"]["vocabulary"]["settings"][number];
type RawParameter = { path: string; value: string; type: string };

export interface TemplateDraft {
  name: string;
  description: string;
  autoApply: boolean;
  settings: Record<string, string>;
  rawParameters: { path: string; value: string; type?: string }[];
}

/** How the editor lays the vocabulary out: the settings most templates use first, the rest folded away. */
const GROUPS: { title: string; prefixes: string[]; common: boolean }[] = [
  { title: "WiFi 2.4 GHz", prefixes: ["wifi.2g."], common: true },
  { title: "WiFi 5 GHz", prefixes: ["wifi.5g."], common: true },
  { title: "Management and time", prefixes: ["management.", "ntp."], common: true },
  { title: "Hotel checkout", prefixes: ["checkout."], common: true },
  { title: "Internet, voice and TV", prefixes: ["service.", "wan.", "voip.", "tv.", "qos."], common: false },
  { title: "Device access", prefixes: ["admin."], common: false },
];

function groupOf(key: string) {
  return GROUPS.find((g) => g.prefixes.some((p) => key.startsWith(p)));
}

function hintOf(setting: Setting): string | undefined {
  const v = setting.value;
  switch (v.kind) {
    case "ssid":
      return "1 to 32 bytes, e.g. Hotel-{{room.number}}";
    case "passphrase":
      return "8 to 63 characters, or a rule such as {{random.passphrase(10)}}";
    case "unsignedInt":
      return v.min !== undefined && v.max !== undefined ? `${v.min} to ${v.max}` : "a whole number";
    case "vlan":
      return "0 to 4094";
    case "host":
      return "a host name or an IP address";
    case "string":
      return v.maxLength ? `at most ${v.maxLength} characters` : undefined;
    default:
      return undefined;
  }
}

/**
 * A template's content: the common settings as a form, the rest of Beacon's vocabulary folded away, and raw
 * parameters for anything else. Saving a template that exists makes its next version.
 */
export function TemplateEditor({
  mode,
  tenantId,
  templateId,
  initial,
  onSaved,
  onCancel,
}: {
  mode: "create" | "version";
  tenantId: string;
  templateId?: string;
  initial?: TemplateDraft;
  onSaved: (result: { templateId: string; version: number }) => void;
  onCancel: () => void;
}) {
  const trpc = useTRPC();
  const headingId = useId();
  const vocabulary = useQuery(
    trpc.templates.vocabulary.queryOptions(undefined, { staleTime: Number.POSITIVE_INFINITY }),
  );
  const [settings, setSettings] = useState<Record<string, string>>(initial?.settings ?? {});
  const [raw, setRaw] = useState<RawParameter[]>(
    (initial?.rawParameters ?? []).map((r) => ({ path: r.path, value: r.value, type: r.type ?? "" })),
  );
  const create = useMutation(trpc.templates.create.mutationOptions({ onSuccess: onSaved }));
  const version = useMutation(trpc.templates.createVersion.mutationOptions());
  const details = useMutation(trpc.templates.updateDetails.mutationOptions());
  const [error, setError] = useState<unknown>(null);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? "");
    const content = {
      settings: Object.fromEntries(Object.entries(settings).filter(([, value]) => value.trim() !== "")),
      rawParameters: raw
        .filter((r) => r.path.trim())
        .map((r) => ({ path: r.path.trim(), value: r.value, type: r.type.trim() || undefined })),
      note: text("note"),
    };
    const name = text("name");
    const description = text("description");
    const autoApply = form.get("autoApply") === "on";
    setError(null);
    try {
      if (mode === "create") {
        await create.mutateAsync({ tenantId, name, description, autoApply, ...content });
        return;
      }
      if (!templateId) return;
      if (
        initial &&
        (name !== initial.name || description !== initial.description || autoApply !== initial.autoApply)
      ) {
        await details.mutateAsync({ templateId, name, description, autoApply });
      }
      onSaved(await version.mutateAsync({ templateId, ...content }));
    } catch (failure) {
      setError(failure);
    }
  };

  const pending = create.isPending || version.isPending || details.isPending;
  const all = vocabulary.data?.settings ?? [];
  const problems = errorList(error ?? create.error);
  return (
    <form
      onSubmit={submit}
      aria-labelledby={headingId}
      className="space-y-5 rounded-lg border border-slate-200 bg-white p-4"
    >
      <h2 id={headingId} className="text-base font-semibold">
        {mode === "create" ? "New template" : "Edit: saving makes a new version"}
      </h2>
      {problems && (
        <div role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          <p className="font-medium">The template was not saved:</p>
          <ul className="mt-1 list-inside list-disc">
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      )}
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField label="Name" name="name" required maxLength={100} defaultValue={initial?.name} />
        <TextField label="Description" name="description" maxLength={500} defaultValue={initial?.description} />
        <label className="flex items-center gap-2 text-sm text-slate-700 sm:col-span-2">
          <input type="checkbox" name="autoApply" defaultChecked={initial?.autoApply ?? false} />
          Apply automatically when a device of this domain (or below) is provisioned without a template of its own
        </label>
      </div>
      <ErrorNotice error={vocabulary.error} />
      {GROUPS.filter((g) => g.common).map((group) => (
        <SettingGroup
          key={group.title}
          title={group.title}
          settings={all.filter((s) => groupOf(s.key) === group)}
          values={settings}
          onChange={(key, value) => setSettings((s) => ({ ...s, [key]: value }))}
        />
      ))}
      <details
        className="rounded-md border border-slate-200 p-3"
        open={GROUPS.some((g) => !g.common && all.some((s) => groupOf(s.key) === g && settings[s.key]))}
      >
        <summary className="cursor-pointer text-sm font-semibold text-slate-800">More settings</summary>
        <div className="mt-3 space-y-5">
          {[...GROUPS.filter((g) => !g.common), { title: "Other", prefixes: [], common: false }].map((group) => (
            <SettingGroup
              key={group.title}
              title={group.title}
              settings={all.filter((s) => (groupOf(s.key) ?? null) === (group.prefixes.length ? group : null))}
              values={settings}
              onChange={(key, value) => setSettings((s) => ({ ...s, [key]: value }))}
            />
          ))}
        </div>
      </details>
      <RawParameters rows={raw} onChange={setRaw} />
      {vocabulary.data && (
        <details className="text-sm text-slate-600">
          <summary className="cursor-pointer">Variables a value may use</summary>
          <p className="mt-1">
            Write them as <code>{"{{room.number}}"}</code>; filters and random values work too, e.g.{" "}
            <code>{"{{device.serial | last(6)}}"}</code> or <code>{"{{random.passphrase(10)}}"}</code>.
          </p>
          <p className="mt-1 font-mono text-xs">{vocabulary.data.variables.join("  ")}</p>
        </details>
      )}
      <TextField label="What changed" name="note" maxLength={500} placeholder="A note kept with this version" />
      <div className="flex gap-2">
        <Button type="submit" tone="primary" disabled={pending}>
          {pending ? "Saving…" : mode === "create" ? "Create template" : "Save as new version"}
        </Button>
        <Button onClick={onCancel}>Cancel</Button>
      </div>
    </form>
  );
}

/** The server lists every problem of a template at once, separated by semicolons. */
function errorList(error: unknown): string[] | null {
  if (!error) return null;
  const message = error instanceof Error ? error.message : String(error);
  return message
    .replace(/\.$/, "")
    .split("; ")
    .map((p) => p.trim())
    .filter(Boolean);
}

function SettingGroup({
  title,
  settings,
  values,
  onChange,
}: {
  title: string;
  settings: Setting[];
  values: Record<string, string>;
  onChange: (key: string, value: string) => void;
}) {
  if (settings.length === 0) return null;
  return (
    <fieldset className="space-y-3">
      <legend className="text-sm font-semibold text-slate-800">{title}</legend>
      <div className="grid gap-3 sm:grid-cols-2">
        {settings.map((setting) => (
          <SettingField key={setting.key} setting={setting} value={values[setting.key] ?? ""} onChange={onChange} />
        ))}
      </div>
    </fieldset>
  );
}

const CONTROL =
  "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm shadow-sm focus:border-sky-600 focus:outline-none focus:ring-1 focus:ring-sky-600";

function SettingField({
  setting,
  value,
  onChange,
}: {
  setting: Setting;
  value: string;
  onChange: (key: string, value: string) => void;
}) {
  const id = useId();
  const v = setting.value;
  const choices =
    v.kind === "boolean"
      ? [
          { value: "true", label: "On" },
          { value: "false", label: "Off" },
        ]
      : v.kind === "enum"
        ? v.values.map((value) => ({ value, label: value }))
        : null;
  // A value with variables or an unusual spelling stays editable as text.
  const asSelect = choices && (value === "" || choices.some((c) => c.value === value));
  const hint = hintOf(setting);
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {setting.label}
        {setting.secret && <span className="ml-1 text-xs font-normal text-slate-500">(secret)</span>}
      </label>
      {asSelect ? (
        <select id={id} value={value} onChange={(e) => onChange(setting.key, e.target.value)} className={CONTROL}>
          <option value="">Not set</option>
          {choices.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </select>
      ) : (
        <input
          id={id}
          value={value}
          onChange={(e) => onChange(setting.key, e.target.value)}
          spellCheck={false}
          autoComplete="off"
          placeholder="Not set"
          aria-describedby={hint ? `${id}-hint` : undefined}
          className={`${CONTROL} font-mono`}
        />
      )}
      <p id={`${id}-hint`} className="mt-0.5 text-xs text-slate-500">
        <code>{setting.key}</code>
        {hint && ` · ${hint}`}
      </p>
    </div>
  );
}

function RawParameters({ rows, onChange }: { rows: RawParameter[]; onChange: (rows: RawParameter[]) => void }) {
  const update = (index: number, change: Partial<RawParameter>) =>
    onChange(rows.map((row, i) => (i === index ? { ...row, ...change } : row)));
  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-semibold text-slate-800">Raw parameters</legend>
      <p className="text-xs text-slate-500">
        For anything the settings above do not cover: a full parameter name, e.g. InternetGatewayDevice.Time.NTPServer3
        or Device.Time.NTPServer3. Devices of the other data model skip it.
      </p>
      {rows.map((row, index) => (
        <div key={index} className="flex flex-wrap items-end gap-2">
          <label className="min-w-64 flex-[2] text-xs text-slate-600">
            Parameter
            <input
              value={row.path}
              onChange={(e) => update(index, { path: e.target.value })}
              spellCheck={false}
              className={`${CONTROL} font-mono`}
            />
          </label>
          <label className="min-w-40 flex-1 text-xs text-slate-600">
            Value
            <input
              value={row.value}
              onChange={(e) => update(index, { value: e.target.value })}
              spellCheck={false}
              className={`${CONTROL} font-mono`}
            />
          </label>
          <label className="w-36 text-xs text-slate-600">
            Type
            <input
              value={row.type}
              onChange={(e) => update(index, { type: e.target.value })}
              placeholder="xsd:string"
              spellCheck={false}
              className={`${CONTROL} font-mono`}
            />
          </label>
          <Button
            size="sm"
            onClick={() => onChange(rows.filter((_, i) => i !== index))}
            aria-label={`Remove ${row.path || "parameter"}`}
          >
            Remove
          </Button>
        </div>
      ))}
      <Button size="sm" onClick={() => onChange([...rows, { path: "", value: "", type: "" }])}>
        Add a parameter
      </Button>
    </fieldset>
  );
}
