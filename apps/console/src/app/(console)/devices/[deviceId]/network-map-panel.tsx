"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { LocalTime } from "@/components/local-time.tsx";
import { KNOWN_BANDS, KNOWN_ROLES, KNOWN_SERVICES } from "@/components/networks/network-words.ts";
import { Button } from "@/components/ui/button.tsx";
import { ErrorNotice } from "@/components/ui/error-notice.tsx";
import { useTRPC } from "@/trpc/client.tsx";

/** The device's radios, networks and WAN connections as Beacon last read them. */
export function NetworkMapPanel({ deviceId, canRead }: { deviceId: string; canRead: boolean }) {
  const t = useTranslations("networks");
  const onOff = (value: boolean | null) =>
    value === true ? t("enabled") : value === false ? t("disabled") : t("unknownState");
  const band = (value: string) => (KNOWN_BANDS.has(value) ? t(`bands.${value}`) : value);
  const role = (value: string) => (KNOWN_ROLES.has(value) ? t(`roles.${value}`) : value);
  const service = (value: string) => (KNOWN_SERVICES.has(value) ? t(`services.${value}`) : value);
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const networks = useQuery(trpc.devices.networks.queryOptions({ deviceId }, { refetchInterval: 10_000 }));
  const read = useMutation(
    trpc.devices.act.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.devices.networks.queryKey({ deviceId }) }),
    }),
  );
  const data = networks.data;
  const map = data?.map;
  return (
    <section aria-labelledby="networks-heading" className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="networks-heading" className="text-base font-semibold">
          {t("title")}
        </h2>
        {canRead && (
          <Button
            size="sm"
            tone="quiet"
            disabled={read.isPending || data?.readPending}
            onClick={() => read.mutate({ deviceId, action: { kind: "readNetworkMap" } })}
          >
            {t("readNow")}
          </Button>
        )}
      </div>
      <ErrorNotice error={networks.error ?? read.error} />
      {data && !map && <p className="text-sm text-slate-600">{t("notRead")}</p>}
      {map && (
        <>
          <p className="text-xs text-slate-600">
            {t.rich("readAt", { time: () => <LocalTime value={data.readAt} /> })}
            {data.stale && <> · {t("stale")}</>}
            {data.readPending && !data.stale && <> · {t("readPending")}</>}
          </p>
          {!map.recognised && (
            <div role="status" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950">
              <p className="font-medium">{t("notRecognised")}</p>
              <p>{t("notRecognisedHelp")}</p>
              {map.problems.length > 0 && (
                <ul className="mt-1 list-disc pl-5">
                  {map.problems.map((p) => (
                    <li key={p}>{p}</li>
                  ))}
                </ul>
              )}
            </div>
          )}
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table className="min-w-full text-left text-sm" aria-label={t("wifiTable")}>
              <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-600">
                <tr>
                  <th scope="col" className="px-3 py-2">
                    {t("band")}
                  </th>
                  <th scope="col" className="px-3 py-2">
                    {t("ssid")}
                  </th>
                  <th scope="col" className="px-3 py-2">
                    {t("role")}
                  </th>
                  <th scope="col" className="px-3 py-2">
                    {t("state")}
                  </th>
                  <th scope="col" className="px-3 py-2">
                    {t("security")}
                  </th>
                  <th scope="col" className="px-3 py-2">
                    {t("clients")}
                  </th>
                  <th scope="col" className="px-3 py-2">
                    {t("object")}
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {map.networks.map((n) => (
                  <tr key={n.path} data-network={n.path} data-band={n.band}>
                    <td className="px-3 py-2 whitespace-nowrap">{band(n.band)}</td>
                    <td className="px-3 py-2 font-medium">{n.ssid || "—"}</td>
                    <td className="px-3 py-2">{role(n.role)}</td>
                    <td className="px-3 py-2">{onOff(n.enabled)}</td>
                    <td className="px-3 py-2">{n.security ?? "—"}</td>
                    <td className="px-3 py-2 tabular-nums">{n.clients ?? "—"}</td>
                    <td className="px-3 py-2 font-mono text-xs text-slate-600">{n.path.replace(/\.$/, "")}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="grid gap-3 sm:grid-cols-2">
            <div>
              <h3 className="mb-1 text-sm font-semibold text-slate-700">{t("radios")}</h3>
              <ul className="space-y-1 text-sm">
                {map.radios.map((r) => (
                  <li key={r.path}>
                    {band(r.band)} · {onOff(r.enabled)}
                    {r.channel ? ` · ${t("channel", { channel: r.channel })}` : ""}{" "}
                    <span className="text-xs text-slate-500">({r.bandSource})</span>
                  </li>
                ))}
              </ul>
            </div>
            <div>
              <h3 className="mb-1 text-sm font-semibold text-slate-700">{t("wan")}</h3>
              {map.wan.length === 0 ? (
                <p className="text-sm text-slate-600">{t("noWan")}</p>
              ) : (
                <ul className="space-y-1 text-sm">
                  {map.wan.map((w) => (
                    <li key={w.path} data-wan={w.path}>
                      {service(w.service)} · {w.kind.toUpperCase()} · {onOff(w.enabled)}
                      {w.status ? ` · ${w.status}` : ""}{" "}
                      <span className="font-mono text-xs text-slate-500">{w.path.replace(/\.$/, "")}</span>
                    </li>
                  ))}
                </ul>
              )}
            </div>
          </div>
        </>
      )}
    </section>
  );
}
