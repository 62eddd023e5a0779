"use client";

import type {
  DiagnosticResult,
  DnsResult,
  PingResult,
  ThroughputResult,
  TraceRouteResult,
  WifiScanResult,
} from "@beacon/domain";
import { useLocale, useTranslations } from "next-intl";
import { BarChart } from "@/components/charts/bar-chart.tsx";

/**
 * A measured number as the device gave it (no rounding, no grouping), with the active locale's decimal separator:
 * English output stays `String(n)`, French gets "12,5".
 */
function useNumber(): (n: number) => string {
  const locale = useLocale();
  const separator = new Intl.NumberFormat(locale).formatToParts(1.5).find((p) => p.type === "decimal")?.value ?? ".";
  return (n) => String(n).replace(".", separator);
}

/** A finished diagnostic in numbers and a small chart: latency per ping, hops, Mbit/s, answers, networks. */
export function DiagnosticResultView({ result }: { result: DiagnosticResult }) {
  switch (result.kind) {
    case "ping":
      return <Ping result={result} />;
    case "traceroute":
      return <TraceRoute result={result} />;
    case "download":
    case "upload":
      return <Throughput result={result} />;
    case "dns":
      return <Dns result={result} />;
    case "wifiScan":
      return <WifiScan result={result} />;
  }
}

function Ping({ result }: { result: PingResult }) {
  const t = useTranslations("device.diagnosticResult");
  const num = useNumber();
  return (
    <div>
      <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-4">
        <Figure
          label={t("averageLatency")}
          value={result.avgMs === null ? "—" : t("units.ms", { value: num(result.avgMs) })}
        />
        <Figure label={t("loss")} value={t("units.percent", { value: num(result.lossPercent) })} />
        <Figure label={t("replies")} value={t("repliesValue", { received: result.received, sent: result.sent })} />
        <Figure label={t("addressUsed")} value={result.ipAddressUsed ?? "—"} />
      </dl>
      <BarChart
        title={t("roundTripTo", { host: result.host })}
        unit="ms"
        bars={[
          { label: t("minimum"), value: result.minMs, tone: "emerald" },
          { label: t("average"), value: result.avgMs },
          { label: t("maximum"), value: result.maxMs, tone: "amber" },
        ]}
      />
    </div>
  );
}

function TraceRoute({ result }: { result: TraceRouteResult }) {
  const t = useTranslations("device.diagnosticResult");
  const num = useNumber();
  const time = result.responseTimeMs !== null ? t("hopTime", { value: num(result.responseTimeMs) }) : "";
  return (
    <div>
      <p className="text-sm">
        {t(result.reached ? "reached" : "notReached", { host: result.host, hops: result.hops.length, time })}
      </p>
      <BarChart
        title={t("perHop")}
        unit="ms"
        bars={result.hops.map((h) => ({
          label: `${h.hop}. ${h.host || h.address || "*"}`,
          value: h.rttMs.length ? Math.round((h.rttMs.reduce((a, b) => a + b, 0) / h.rttMs.length) * 10) / 10 : null,
          tone: h.errorCode ? "red" : "sky",
        }))}
      />
    </div>
  );
}

function Throughput({ result }: { result: ThroughputResult }) {
  const t = useTranslations("device.diagnosticResult");
  const num = useNumber();
  const mb = Math.round(result.bytes / 100_000) / 10;
  return (
    <div>
      <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-4">
        <Figure
          label={t("throughput")}
          value={result.mbps === null ? "—" : t("units.mbps", { value: num(result.mbps) })}
        />
        <Figure label={t("moved")} value={t("units.mb", { value: num(mb) })} />
        <Figure
          label={t("took")}
          value={result.seconds === null ? "—" : t("units.seconds", { value: num(result.seconds) })}
        />
        <Figure
          label={t("tcpConnect")}
          value={result.tcpConnectMs === null ? "—" : t("units.ms", { value: num(result.tcpConnectMs) })}
        />
      </dl>
      {result.mbps !== null && (
        <BarChart
          title={t("throughputTitle", { kind: result.kind })}
          unit="Mbit/s"
          bars={[
            { label: t(`directions.${result.kind}`), value: result.mbps },
            { label: "1 Gbit/s", value: 1000, tone: "slate" },
          ]}
        />
      )}
    </div>
  );
}

function Dns({ result }: { result: DnsResult }) {
  const t = useTranslations("device.diagnosticResult");
  return (
    <div>
      <ul className="text-sm">
        {result.answers.map((a, i) => (
          <li key={`${a.dnsServerIp}-${i}`}>
            {a.status === "Success"
              ? t("dnsAnswer", {
                  name: a.hostNameReturned || result.hostName,
                  addresses: a.ipAddresses.join(", ") || t("noAddress"),
                  server: a.dnsServerIp || t("theDnsServer"),
                })
              : t("dnsError", { name: result.hostName, status: a.status })}
          </li>
        ))}
      </ul>
      <BarChart
        title={t("perLookup")}
        unit="ms"
        bars={result.answers.map((a, i) => ({ label: t("lookup", { n: i + 1 }), value: a.responseTimeMs }))}
      />
    </div>
  );
}

function WifiScan({ result }: { result: WifiScanResult }) {
  const t = useTranslations("device.diagnosticResult");
  const num = useNumber();
  if (!result.networks.length) return <p className="text-sm">{t("noNetworks")}</p>;
  return (
    <div>
      <BarChart
        title={t("perChannel")}
        unit={t("networksUnit")}
        bars={result.channels.map((c) => ({
          label: t("channelLabel", { band: c.band, channel: c.channel }),
          value: c.networks,
        }))}
      />
      <table className="mt-3 min-w-full text-left text-sm">
        <thead className="text-xs uppercase tracking-wide text-slate-600">
          <tr>
            <th scope="col" className="py-1 pr-3">
              {t("network")}
            </th>
            <th scope="col" className="py-1 pr-3">
              {t("channel")}
            </th>
            <th scope="col" className="py-1 pr-3">
              {t("signal")}
            </th>
            <th scope="col" className="py-1 pr-3">
              {t("security")}
            </th>
          </tr>
        </thead>
        <tbody>
          {result.networks.map((n) => (
            <tr key={n.bssid || n.ssid}>
              <td className="py-1 pr-3">{n.ssid || n.bssid}</td>
              <td className="py-1 pr-3">
                {n.channel ?? "?"} ({n.band || "?"})
              </td>
              <td className="py-1 pr-3">{n.signalDbm === null ? "?" : t("units.dbm", { value: num(n.signalDbm) })}</td>
              <td className="py-1 pr-3">{n.security || "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="mt-0.5 text-base font-semibold text-slate-900">{value}</dd>
    </div>
  );
}
