"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useLocale, useTranslations } from "next-intl";
import { useState } from "react";
import { useCurrentDomain } from "@/components/domain/current-domain.tsx";
import { DeviceTags } from "@/components/firmware/device-tags.tsx";
import { LocalTime } from "@/components/local-time.tsx";
import { Button } from "@/components/ui/button.tsx";
import { ErrorNotice, Notice } from "@/components/ui/error-notice.tsx";
import { StatusBadge } from "@/components/ui/status-badge.tsx";
import { useTRPC } from "@/trpc/client.tsx";
import type { RouterOutputs } from "@/trpc/types.ts";
import { DeviceActions } from "./device-actions.tsx";
import { DeviceAlarms } from "./device-alarms.tsx";
import { DiagnosticsPanel } from "./diagnostics-panel.tsx";
import { EventTimeline } from "./event-timeline.tsx";
import { HealthCheckPanel } from "./health-check-panel.tsx";
import { MonitoringPanel } from "./monitoring-panel.tsx";
import { NetworkMapPanel } from "./network-map-panel.tsx";
import { ParameterTree } from "./parameter-tree.tsx";
import { TaskHistory } from "./task-history.tsx";

export type Device = RouterOutputs["devices"]["get"];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function DeviceView({ deviceId }: { deviceId: string }) {
  const t = useTranslations("devices.page");
  const locale = useLocale();
  const trpc = useTRPC();
  const current = useCurrentDomain();
  const valid = UUID.test(deviceId);
  const device = useQuery(trpc.devices.get.queryOptions({ deviceId }, { enabled: valid }));
  const [notice, setNotice] = useState<string | null>(null);

  if (!valid || device.error) {
    return (
      <div className="space-y-3">
        <h1 className="text-xl font-semibold">{t("title")}</h1>
        <ErrorNotice error={device.error ?? new Error(t("title"))} />
        <Link href={current.withDomain("/devices")} className="text-sm text-sky-800 underline">
          {t("back")}
        </Link>
      </div>
    );
  }
  if (!device.data) return <p className="text-sm text-slate-500">{t("loading")}</p>;
  const d = device.data;
  return (
    <div className="space-y-8">
      <div>
        <p className="text-sm">
          <Link href={current.withDomain("/devices")} className="text-sky-800 hover:underline">
            {t("backArrow")}
          </Link>
        </p>
        <div className="mt-2 flex flex-wrap items-start justify-between gap-4">
          <div>
            <h1 className="font-mono text-xl font-semibold tracking-tight text-slate-900">{d.serialNumber}</h1>
            <p className="mt-1 flex flex-wrap items-center gap-2 text-sm text-slate-600">
              <StatusBadge status={d.status} />
              <span>{[d.manufacturer, d.modelName ?? d.productClass].filter(Boolean).join(" ")}</span>
              <span aria-hidden="true">·</span>
              <span>{d.domain.path.join(" / ")}</span>
            </p>
          </div>
          <DeviceActions device={d} onQueued={setNotice} />
        </div>
        {notice && (
          <div className="mt-3">
            <Notice>{notice}</Notice>
          </div>
        )}
      </div>

      <HomePanel device={d} />

      <section aria-labelledby="summary-heading">
        <h2 id="summary-heading" className="mb-3 text-base font-semibold">
          {t("summary")}
        </h2>
        <dl className="grid grid-cols-1 gap-x-6 gap-y-3 rounded-lg border border-slate-200 bg-white p-4 text-sm sm:grid-cols-2 lg:grid-cols-3">
          <Fact label={t("facts.protocol")} value={protocolInWords(d, t)} />
          {d.uspEndpointId ? <Fact label={t("facts.uspEndpoint")} value={d.uspEndpointId} mono /> : null}
          <Fact label={t("facts.manufacturer")} value={`${d.manufacturer || "—"} (${d.oui})`} />
          <Fact label={t("facts.productClass")} value={d.productClass || "—"} />
          <Fact label={t("facts.model")} value={d.modelName ?? "—"} />
          <Fact label={t("facts.firmware")} value={d.softwareVersion ?? "—"} />
          <Fact label={t("facts.hardware")} value={d.hardwareVersion ?? "—"} />
          <Fact label={t("facts.dataModel")} value={d.dataModelRoot ?? "—"} />
          <Fact label={t("facts.ip")} value={d.externalIp ?? "—"} mono />
          <Fact label={t("facts.mac")} value={d.macAddress ?? "—"} mono />
          <Fact label={t("facts.connectionRequestUrl")} value={d.connectionRequestUrl ?? "—"} mono />
          <Fact
            label={t("facts.periodicInform")}
            value={
              d.periodicInformInterval
                ? t("every", { interval: formatSeconds(d.periodicInformInterval) })
                : t("notReported")
            }
          />
          <Fact label={t("facts.lastContact")} value={<LocalTime value={d.lastInformAt} />} />
          <Fact label={t("facts.firstContact")} value={<LocalTime value={d.firstInformAt} />} />
          <Fact label={t("facts.lastBoot")} value={<LocalTime value={d.lastBootAt} />} />
          <Fact label={t("facts.parametersKnown")} value={d.parameterCount.toLocaleString(locale)} />
          <Fact label={t("facts.tasksWaiting")} value={d.pendingTaskCount.toLocaleString(locale)} />
        </dl>
      </section>

      <NetworkMapPanel deviceId={d.id} canRead={d.permissions.includes("device.refresh")} />
      <DeviceAlarms device={d} />
      <HealthCheckPanel device={d} />
      <DiagnosticsPanel device={d} />
      <MonitoringPanel deviceId={d.id} />
      <DeviceTags deviceId={d.id} tags={d.tags} canEdit={d.permissions.includes("device.setParameter")} />
      <ParameterTree device={d} onQueued={setNotice} />
      <TaskHistory deviceId={d.id} />
      <EventTimeline deviceId={d.id} />
    </div>
  );
}

/**
 * Where the device serves: its room, the room's site (a link to the room grid) and the room's guest passphrase,
 * masked and revealed on request to roles that may reveal secrets (audited); or its subscriber line.
 */
function HomePanel({ device }: { device: Device }) {
  const t = useTranslations("devices.page");
  const current = useCurrentDomain();
  const { room, home } = device;
  if (!home) return null;
  if (home.kind === "line") {
    return (
      <section aria-labelledby="home-heading">
        <h2 id="home-heading" className="mb-3 text-base font-semibold">
          {t("lineHeading")}
        </h2>
        <dl className="grid grid-cols-1 gap-x-6 gap-y-3 rounded-lg border border-slate-200 bg-white p-4 text-sm sm:grid-cols-3">
          <Fact label={t("subscriber")} value={home.externalId} mono />
          <Fact label={t("subscriberName")} value={home.subscriberName || "—"} />
          <Fact label={t("lineNumber")} value={home.number} />
        </dl>
      </section>
    );
  }
  if (!room) return null;
  const gridPath = current.withDomain("/sites", { domain: room.site.id });
  return (
    <section aria-labelledby="home-heading">
      <div className="mb-3 flex flex-wrap items-baseline justify-between gap-3">
        <h2 id="home-heading" className="text-base font-semibold">
          {t("roomHeading", { number: room.number })}
        </h2>
        <Link href={gridPath} className="text-sm text-sky-800 hover:underline">
          {t("openGrid", { site: room.site.name })}
        </Link>
      </div>
      <dl className="grid grid-cols-1 gap-x-6 gap-y-3 rounded-lg border border-slate-200 bg-white p-4 text-sm sm:grid-cols-3">
        <Fact label={t("roomLabel")} value={room.name ? `${room.number} · ${room.name}` : room.number} />
        <Fact
          label={t("site")}
          value={
            <Link href={gridPath} className="text-sky-800 hover:underline">
              {room.site.path.join(" / ")}
            </Link>
          }
        />
        <Fact label={t("passphrase")} value={<RoomPassphrase device={device} />} mono />
      </dl>
    </section>
  );
}

function RoomPassphrase({ device }: { device: Device }) {
  const t = useTranslations("devices.page");
  const trpc = useTRPC();
  const reveal = useMutation(trpc.devices.revealRoomPassphrase.mutationOptions());
  const room = device.room!;
  if (room.passphrase === null) return <span className="font-sans text-slate-600">{t("noPassphrase")}</span>;
  if (reveal.data) return <span data-testid="room-passphrase">{reveal.data.passphrase ?? t("revealedNone")}</span>;
  return (
    <>
      <span data-testid="room-passphrase" title={t("passphraseHidden")}>
        {room.passphrase}
      </span>
      {room.canReveal && (
        <Button
          size="sm"
          tone="quiet"
          className="ml-2"
          aria-label={t("revealLabel", { number: room.number })}
          disabled={reveal.isPending}
          onClick={() => reveal.mutate({ deviceId: device.id })}
        >
          {t("reveal")}
        </Button>
      )}
      <ErrorNotice error={reveal.error} />
    </>
  );
}

const MTP_WORDS: Record<string, string> = { websocket: "WebSocket", mqtt5: "MQTT 5", mqtt3: "MQTT 3.1.1" };

function protocolInWords(
  d: { protocol: "cwmp" | "usp"; uspMtp: string | null },
  t: (key: "uspOver", values: { mtp: string }) => string,
): string {
  if (d.protocol === "cwmp") return "CWMP (TR-069)";
  return d.uspMtp ? t("uspOver", { mtp: MTP_WORDS[d.uspMtp] ?? d.uspMtp }) : "USP (TR-369)";
}

function Fact({ label, value, mono = false }: { label: string; value: React.ReactNode; mono?: boolean }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className={`mt-0.5 break-words text-slate-900 ${mono ? "font-mono" : ""}`}>{value}</dd>
    </div>
  );
}

function formatSeconds(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}
