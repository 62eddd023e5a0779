"use client";

import type {
  DiagnosticResult,
  DnsResult,
  PingResult,
  ThroughputResult,
  TraceRouteResult,
  WifiScanResult,
} from "@beacon/domain";
import { BarChart } from "@/components/charts/bar-chart.tsx";

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
  return (
    <div>
      <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-4">
        <Figure label="Average latency" value={result.avgMs === null ? "—" : `${result.avgMs} ms`} />
        <Figure label="Loss" value={`${result.lossPercent}%`} />
        <Figure label="Replies" value={`${result.received} of ${result.sent}`} />
        <Figure label="Address used" value={result.ipAddressUsed ?? "—"} />
      </dl>
      <BarChart
        title={`Round trip to ${result.host}`}
        unit="ms"
        bars={[
          { label: "minimum", value: result.minMs, tone: "emerald" },
          { label: "average", value: result.avgMs },
          { label: "maximum", value: result.maxMs, tone: "amber" },
        ]}
      />
    </div>
  );
}

function TraceRoute({ result }: { result: TraceRouteResult }) {
  return (
    <div>
      <p className="text-sm">
        {result.reached ? "Reached" : "Not reached"} {result.host} in {result.hops.length} hops
        {result.responseTimeMs !== null ? `, ${result.responseTimeMs} ms` : ""}.
      </p>
      <BarChart
        title="Round trip per hop (average of the tries)"
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
  const mb = Math.round(result.bytes / 100_000) / 10;
  return (
    <div>
      <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-4">
        <Figure label="Throughput" value={result.mbps === null ? "—" : `${result.mbps} Mbit/s`} />
        <Figure label="Moved" value={`${mb} MB`} />
        <Figure label="Took" value={result.seconds === null ? "—" : `${result.seconds} s`} />
        <Figure label="TCP connect" value={result.tcpConnectMs === null ? "—" : `${result.tcpConnectMs} ms`} />
      </dl>
      {result.mbps !== null && (
        <BarChart
          title={`${result.kind === "download" ? "Download" : "Upload"} throughput, against a 1 Gbit/s line`}
          unit="Mbit/s"
          bars={[
            { label: result.kind, value: result.mbps },
            { label: "1 Gbit/s", value: 1000, tone: "slate" },
          ]}
        />
      )}
    </div>
  );
}

function Dns({ result }: { result: DnsResult }) {
  return (
    <div>
      <ul className="text-sm">
        {result.answers.map((a, i) => (
          <li key={`${a.dnsServerIp}-${i}`}>
            {a.status === "Success"
              ? `${a.hostNameReturned || result.hostName} → ${a.ipAddresses.join(", ") || "no address"} from ${a.dnsServerIp || "the DNS server"}`
              : `${result.hostName}: ${a.status}`}
          </li>
        ))}
      </ul>
      <BarChart
        title="Response time per lookup"
        unit="ms"
        bars={result.answers.map((a, i) => ({ label: `lookup ${i + 1}`, value: a.responseTimeMs }))}
      />
    </div>
  );
}

function WifiScan({ result }: { result: WifiScanResult }) {
  if (!result.networks.length) return <p className="text-sm">No neighbouring networks were found.</p>;
  return (
    <div>
      <BarChart
        title="Networks per channel, busiest first"
        unit="networks"
        bars={result.channels.map((c) => ({ label: `${c.band} channel ${c.channel}`, value: c.networks }))}
      />
      <table className="mt-3 min-w-full text-left text-sm">
        <thead className="text-xs uppercase tracking-wide text-slate-600">
          <tr>
            <th scope="col" className="py-1 pr-3">
              Network
            </th>
            <th scope="col" className="py-1 pr-3">
              Channel
            </th>
            <th scope="col" className="py-1 pr-3">
              Signal
            </th>
            <th scope="col" className="py-1 pr-3">
              Security
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
              <td className="py-1 pr-3">{n.signalDbm === null ? "?" : `${n.signalDbm} dBm`}</td>
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
