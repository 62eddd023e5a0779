"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { useCurrentDomain } from "@/components/domain/current-domain.tsx";
import { LocalTime } from "@/components/local-time.tsx";
import { ApplyTemplate } from "@/components/templates/apply-template.tsx";
import { DevicePicker, type PickedDevice } from "@/components/templates/device-picker.tsx";
import { TemplateEditor } from "@/components/templates/template-editor.tsx";
import { TemplatePreview } from "@/components/templates/template-preview.tsx";
import { Button } from "@/components/ui/button.tsx";
import { ErrorNotice, Notice } from "@/components/ui/error-notice.tsx";
import { SelectField } from "@/components/ui/field.tsx";
import { useTRPC } from "@/trpc/client.tsx";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function TemplateView({ templateId }: { templateId: string }) {
  const current = useCurrentDomain();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const valid = UUID.test(templateId);
  const template = useQuery(
    trpc.templates.get.queryOptions({ tenantId: current.domain.id, templateId }, { enabled: valid }),
  );
  const vocabulary = useQuery(
    trpc.templates.vocabulary.queryOptions(undefined, { staleTime: Number.POSITIVE_INFINITY }),
  );
  const [versionId, setVersionId] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [device, setDevice] = useState<PickedDevice | null>(null);

  const back = (
    <p className="text-sm">
      <Link href={current.withDomain("/templates")} className="text-sky-800 hover:underline">
        ← Templates
      </Link>
    </p>
  );
  if (!valid || template.error) {
    return (
      <div className="space-y-3">
        {back}
        <h1 className="text-xl font-semibold">Template not found</h1>
        <ErrorNotice error={template.error ?? new Error("Template not found.")} />
      </div>
    );
  }
  if (!template.data) return <p className="text-sm text-slate-500">Loading template…</p>;
  const t = template.data;
  const latest = t.versions[0];
  const version = t.versions.find((v) => v.id === versionId) ?? latest;
  const labels = new Map((vocabulary.data?.settings ?? []).map((s) => [s.key, s.label]));
  const canApply = current.can("template.manage");

  return (
    <div className="space-y-8">
      <div>
        {back}
        <div className="mt-2 flex flex-wrap items-start justify-between gap-4">
          <div>
            <h1 className="text-xl font-semibold tracking-tight text-slate-900">{t.name}</h1>
            <p className="mt-1 text-sm text-slate-600">
              Version {t.latestVersion} ·{" "}
              {t.inherited ? `inherited from ${t.owner?.name ?? "a domain above"}` : `of ${t.owner?.name}`} ·{" "}
              {t.autoApply ? "applied automatically at provisioning" : "applied by hand"}
            </p>
            {t.description && <p className="mt-1 text-sm text-slate-700">{t.description}</p>}
          </div>
          {t.editable && !editing && (
            <Button tone="primary" onClick={() => setEditing(true)}>
              Edit
            </Button>
          )}
        </div>
        {notice && (
          <div className="mt-3">
            <Notice>{notice}</Notice>
          </div>
        )}
      </div>

      {editing && latest && (
        <TemplateEditor
          mode="version"
          tenantId={current.domain.id}
          templateId={t.id}
          initial={{
            name: t.name,
            description: t.description,
            autoApply: t.autoApply,
            settings: latest.settings,
            rawParameters: latest.rawParameters,
          }}
          onCancel={() => setEditing(false)}
          onSaved={(saved) => {
            setEditing(false);
            setVersionId(null);
            setNotice(
              `Saved version ${saved.version}. Devices keep the version they have until you apply the new one.`,
            );
            void queryClient.invalidateQueries({ queryKey: trpc.templates.pathKey() });
          }}
        />
      )}

      {version && (
        <section aria-labelledby="content-heading" className="space-y-3">
          <div className="flex flex-wrap items-end justify-between gap-3">
            <h2 id="content-heading" className="text-base font-semibold">
              What version {version.version} sets
            </h2>
            {t.versions.length > 1 && (
              <SelectField
                label="Version"
                value={version.id}
                onChange={(e) => setVersionId(e.target.value)}
                options={t.versions.map((v) => ({
                  value: v.id,
                  label: `Version ${v.version}${v.id === latest?.id ? " (latest)" : ""}`,
                }))}
              />
            )}
          </div>
          <p className="text-xs text-slate-500">
            Saved <LocalTime value={version.createdAt} />
            {version.createdBy && ` by ${version.createdBy}`}
            {version.note && ` · ${version.note}`}
          </p>
          <dl className="grid gap-x-6 gap-y-2 rounded-lg border border-slate-200 bg-white p-4 text-sm sm:grid-cols-2">
            {Object.entries(version.settings).map(([key, value]) => (
              <div key={key}>
                <dt className="text-slate-600">
                  {labels.get(key) ?? key} <code className="text-xs text-slate-400">{key}</code>
                </dt>
                <dd className="break-all font-mono">{value}</dd>
              </div>
            ))}
            {version.rawParameters.map((raw) => (
              <div key={raw.path}>
                <dt className="break-all font-mono text-xs text-slate-600">{raw.path}</dt>
                <dd className="break-all font-mono">
                  {raw.value} {raw.type && <span className="text-xs text-slate-500">{raw.type}</span>}
                </dd>
              </div>
            ))}
            {Object.keys(version.settings).length === 0 && version.rawParameters.length === 0 && (
              <p className="text-slate-600">This version sets nothing yet.</p>
            )}
          </dl>
        </section>
      )}

      {version && (
        <section aria-labelledby="preview-heading" className="space-y-3">
          <h2 id="preview-heading" className="text-base font-semibold">
            Preview on a device
          </h2>
          <p className="text-sm text-slate-600">
            See exactly which parameters version {version.version} would set on a device, without changing anything.
          </p>
          <DevicePicker value={device} onChange={setDevice} />
          {device && (
            <>
              <p className="text-sm">
                <Link
                  href={current.withDomain("/templates/devices", { device: device.id })}
                  className="text-sky-800 hover:underline"
                >
                  Its templates and drift
                </Link>
              </p>
              <TemplatePreview templateVersionId={version.id} deviceId={device.id} />
            </>
          )}
        </section>
      )}

      {version && canApply && (
        <section aria-labelledby="apply-heading" className="space-y-3">
          <h2 id="apply-heading" className="text-base font-semibold">
            Apply version {version.version}
          </h2>
          <ApplyTemplate templateId={t.id} versionId={version.id} label={`${t.name} version ${version.version}`} />
        </section>
      )}
    </div>
  );
}
