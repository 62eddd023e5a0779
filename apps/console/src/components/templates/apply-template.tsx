"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useCurrentDomain } from "@/components/domain/current-domain.tsx";
import { sentence } from "@/components/provisioning/csv-import.tsx";
import { Button } from "@/components/ui/button.tsx";
import { ConfirmDialog } from "@/components/ui/confirm-dialog.tsx";
import { ErrorNotice, Notice } from "@/components/ui/error-notice.tsx";
import { SelectField, TextField } from "@/components/ui/field.tsx";
import { useTRPC } from "@/trpc/client.tsx";
import type { RouterInputs, RouterOutputs } from "@/trpc/types.ts";
import { DevicePicker, type PickedDevice } from "./device-picker.tsx";

type Target = RouterInputs["templates"]["applyVersion"]["target"];
type Result = RouterOutputs["templates"]["applyVersion"];

const SITE_KINDS = new Set(["hotel", "site", "business"]);

/** Applies a template version to one device, a range of rooms of a site, or every device of the domain. */
export function ApplyTemplate({
  templateId,
  versionId,
  label,
}: {
  templateId: string;
  versionId: string;
  /** "Guest WiFi version 3", for the confirmation. */
  label: string;
}) {
  const current = useCurrentDomain();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<Target["kind"]>("device");
  const [device, setDevice] = useState<PickedDevice | null>(null);
  const domains = useQuery(
    trpc.domains.list.queryOptions({ underId: current.domain.id }, { enabled: kind === "rooms" }),
  );
  const sites = (domains.data ?? []).filter((d) => SITE_KINDS.has(d.kind));
  const [siteId, setSiteId] = useState("");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [confirming, setConfirming] = useState<{ target: Target; what: string } | null>(null);
  const [result, setResult] = useState<Result | null>(null);
  const apply = useMutation(
    trpc.templates.applyVersion.mutationOptions({
      onSuccess: (outcome) => {
        setConfirming(null);
        setResult(outcome);
        void queryClient.invalidateQueries({ queryKey: trpc.templates.pathKey() });
      },
    }),
  );

  const chosenSite = siteId || sites[0]?.id || "";
  const ask = () => {
    setResult(null);
    apply.reset();
    if (kind === "device" && device) {
      setConfirming({ target: { kind, deviceId: device.id }, what: `device ${device.serialNumber}` });
    } else if (kind === "rooms" && chosenSite && from.trim()) {
      const site = sites.find((s) => s.id === chosenSite);
      const last = to.trim() || from.trim();
      setConfirming({
        target: { kind, siteId: chosenSite, from: from.trim(), to: last },
        what: `the devices of rooms ${from.trim()} to ${last} of ${site?.name ?? "the site"}`,
      });
    } else if (kind === "domain") {
      setConfirming({
        target: { kind, tenantId: current.domain.id },
        what: `every device of ${current.domain.name} and the domains below it`,
      });
    }
  };
  const ready = kind === "device" ? device !== null : kind === "rooms" ? Boolean(chosenSite && from.trim()) : true;

  return (
    <div className="space-y-4">
      <fieldset className="flex flex-wrap gap-4 text-sm">
        <legend className="sr-only">Apply to</legend>
        {(
          [
            ["device", "One device"],
            ["rooms", "A range of rooms"],
            ["domain", `All of ${current.domain.name}`],
          ] as const
        ).map(([value, text]) => (
          <label key={value} className="flex items-center gap-1.5">
            <input type="radio" name="apply-target" checked={kind === value} onChange={() => setKind(value)} />
            {text}
          </label>
        ))}
      </fieldset>
      {kind === "device" && <DevicePicker value={device} onChange={setDevice} />}
      {kind === "rooms" && (
        <div className="grid gap-3 sm:grid-cols-3">
          <SelectField
            label="Site"
            value={chosenSite}
            onChange={(e) => setSiteId(e.target.value)}
            options={
              sites.length
                ? sites.map((s) => ({ value: s.id, label: s.path.join(" / ") }))
                : [{ value: "", label: domains.isPending ? "Loading…" : "No hotel or site here" }]
            }
          />
          <TextField label="From room" value={from} onChange={(e) => setFrom(e.target.value)} placeholder="101" />
          <TextField label="To room" value={to} onChange={(e) => setTo(e.target.value)} placeholder="120" />
        </div>
      )}
      <Button tone="primary" onClick={ask} disabled={!ready}>
        Apply…
      </Button>
      {result && <ApplyResult result={result} />}
      {confirming && (
        <ConfirmDialog
          title={`Apply ${label}?`}
          confirmLabel="Apply"
          pending={apply.isPending}
          onClose={() => setConfirming(null)}
          onConfirm={() => apply.mutate({ templateId, versionId, target: confirming.target })}
        >
          <p>
            Apply to {confirming.what}. Each device gets one task setting the template's values; devices that can be
            reached are asked to connect now, the others take it at their next contact.
          </p>
          <ErrorNotice error={apply.error} focus />
        </ConfirmDialog>
      )}
    </div>
  );
}

function ApplyResult({ result }: { result: Result }) {
  return (
    <div className="space-y-2">
      <Notice>
        Version {result.version} queued on {result.queued} of {result.devices}{" "}
        {result.devices === 1 ? "device" : "devices"}.
      </Notice>
      {result.problems.length > 0 && (
        <ul className="space-y-0.5 text-sm text-red-800">
          {result.problems.map((p) => (
            <li key={`${p.deviceId ?? ""}:${p.roomNumber ?? ""}:${p.reason}`}>{sentence(p.reason)}</li>
          ))}
        </ul>
      )}
      {result.skipped.length > 0 && (
        <details className="text-sm text-slate-700">
          <summary className="cursor-pointer">
            {result.skipped.length} {result.skipped.length === 1 ? "setting was" : "settings were"} skipped
          </summary>
          <ul className="mt-1 space-y-0.5">
            {result.skipped.map((s) => (
              <li key={`${s.deviceId}:${s.setting ?? s.path ?? ""}`}>
                <code className="text-xs">{s.setting ?? s.path}</code>: {sentence(s.reason)}
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
