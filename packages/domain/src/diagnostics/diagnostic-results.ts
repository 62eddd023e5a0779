import type { DiagnosticKind } from "@beacon/db";

/**
 * Diagnostic results as numbers and words, from the values of the diagnostic's object. Pure. Field names are
 * those of TR-181 and TR-098 (which differ only for trace route hops: Host vs HopHost ...); both are read.
 */

export interface ParsedDiagnostic {
  /** "pending": the device still says Requested. */
  status: "complete" | "failed" | "pending";
  error?: string;
  result: DiagnosticResult | null;
  summary: string;
}

export interface PingResult {
  kind: "ping";
  host: string;
  ipAddressUsed: string | null;
  sent: number;
  received: number;
  lossPercent: number;
  minMs: number | null;
  avgMs: number | null;
  maxMs: number | null;
}

export interface TraceRouteHop {
  hop: number;
  host: string;
  address: string;
  /** ICMP error code of the hop; 0 when none. */
  errorCode: number;
  rttMs: number[];
}

export interface TraceRouteResult {
  kind: "traceroute";
  host: string;
  responseTimeMs: number | null;
  reached: boolean;
  hops: TraceRouteHop[];
}

export interface ThroughputResult {
  kind: "download" | "upload";
  url: string;
  bytes: number;
  seconds: number | null;
  mbps: number | null;
  /** TCPOpenResponseTime - TCPOpenRequestTime. */
  tcpConnectMs: number | null;
  /** BOMTime - ROMTime: from the request to the first byte. */
  firstByteMs: number | null;
}

export interface DnsAnswer {
  status: string;
  answerType: string;
  hostNameReturned: string;
  ipAddresses: string[];
  dnsServerIp: string;
  responseTimeMs: number | null;
}

export interface DnsResult {
  kind: "dns";
  hostName: string;
  successCount: number;
  answers: DnsAnswer[];
}

export interface NeighbouringNetwork {
  ssid: string;
  bssid: string;
  channel: number | null;
  band: string;
  signalDbm: number | null;
  noiseDbm: number | null;
  security: string;
  encryption: string;
  standards: string;
  bandwidth: string;
}

export interface WifiScanResult {
  kind: "wifiScan";
  networks: NeighbouringNetwork[];
  /** Networks per channel, busiest first. */
  channels: { band: string; channel: number; networks: number }[];
}

export type DiagnosticResult = PingResult | TraceRouteResult | ThroughputResult | DnsResult | WifiScanResult;

type Fields = ReadonlyMap<string, string>;

const num = (v: string | undefined): number | null => {
  if (v === undefined || v.trim() === "") return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
};
const round = (v: number, digits = 2) => Math.round(v * 10 ** digits) / 10 ** digits;
const ms = (v: number | null) => (v === null ? "?" : `${round(v, 1)}`);

/** "Error_CannotResolveHostName" -> "cannot resolve host name". */
export function diagnosticsStateInWords(state: string): string {
  return state
    .replace(/^Error_/, "")
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .toLowerCase();
}

/**
 * A TR-069 dateTime as microseconds since 1970 (TR-143 gives BOM and EOM to the microsecond), or null for the
 * unknown time 0001-01-01T00:00:00Z or an empty value.
 */
export function dateTimeMicros(value: string | undefined): number | null {
  if (!value) return null;
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)?$/.exec(value.trim());
  if (!m || m[1]!.startsWith("0001-")) return null;
  const seconds = Date.parse(`${m[1]}${m[3] ?? "Z"}`);
  if (!Number.isFinite(seconds)) return null;
  const fraction = Number(`0.${m[2] ?? "0"}`);
  return seconds * 1000 + Math.round(fraction * 1_000_000);
}

/** Instances below `prefix` ("RouteHops.") of the object's values, by instance number, in order. */
function instances(fields: Fields, prefix: string): Map<string, string>[] {
  const byIndex = new Map<number, Map<string, string>>();
  for (const [name, value] of fields) {
    if (!name.startsWith(prefix)) continue;
    const m = /^(\d+)\.(.+)$/.exec(name.slice(prefix.length));
    if (!m) continue;
    const index = Number(m[1]);
    const instance = byIndex.get(index) ?? new Map<string, string>();
    instance.set(m[2]!, value);
    byIndex.set(index, instance);
  }
  return [...byIndex.entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => v);
}

/** Parses the values read from a diagnostic object (`path`, ending with a dot). */
export function parseDiagnosticResult(
  kind: DiagnosticKind,
  path: string,
  values: ReadonlyArray<{ name: string; value: string }>,
): ParsedDiagnostic {
  const fields: Fields = new Map(
    values.filter((v) => v.name.startsWith(path)).map((v) => [v.name.slice(path.length), v.value ?? ""]),
  );
  const state = fields.get("DiagnosticsState") ?? "";
  if (state === "Requested") return { status: "pending", result: null, summary: "the test is still running" };
  if (state !== "Complete" && state !== "Completed") {
    const error =
      state === "" || state === "None"
        ? "the device reported no result (DiagnosticsState None)"
        : diagnosticsStateInWords(state);
    return { status: "failed", error, result: null, summary: `${KIND_WORDS[kind]} failed: ${error}` };
  }
  switch (kind) {
    case "ping":
      return done(ping(fields));
    case "traceroute":
      return done(traceRoute(fields));
    case "download":
    case "upload":
      return done(throughput(kind, fields));
    case "dns":
      return done(dns(fields));
    case "wifiScan":
      return done(wifiScan(fields));
  }
}

const KIND_WORDS: Record<DiagnosticKind, string> = {
  ping: "ping",
  traceroute: "trace route",
  download: "download test",
  upload: "upload test",
  dns: "DNS lookup",
  wifiScan: "WiFi scan",
};

function done([result, summary]: [DiagnosticResult, string]): ParsedDiagnostic {
  return { status: "complete", result, summary };
}

function ping(f: Fields): [PingResult, string] {
  const received = num(f.get("SuccessCount")) ?? 0;
  const failed = num(f.get("FailureCount")) ?? 0;
  const sent = received + failed;
  // TR-181 adds *Detailed in microseconds; TR-098 has milliseconds only.
  const time = (name: string) => {
    const detailed = num(f.get(`${name}Detailed`));
    if (detailed !== null && detailed > 0) return round(detailed / 1000, 3);
    return received > 0 ? num(f.get(name)) : null;
  };
  const host = f.get("Host") ?? "";
  const result: PingResult = {
    kind: "ping",
    host,
    ipAddressUsed: f.get("IPAddressUsed") || null,
    sent,
    received,
    lossPercent: sent ? round((failed / sent) * 100, 1) : 100,
    minMs: time("MinimumResponseTime"),
    avgMs: time("AverageResponseTime"),
    maxMs: time("MaximumResponseTime"),
  };
  const summary =
    received === 0
      ? `no reply from ${host} (${sent} sent)`
      : `${received} of ${sent} replies from ${host}, ${result.lossPercent}% loss; round trip min ${ms(result.minMs)} / avg ${ms(result.avgMs)} / max ${ms(result.maxMs)} ms`;
  return [result, summary];
}

function traceRoute(f: Fields): [TraceRouteResult, string] {
  const hops = instances(f, "RouteHops.").map((h, i) => ({
    hop: i + 1,
    host: h.get("Host") ?? h.get("HopHost") ?? "",
    address: h.get("HostAddress") ?? h.get("HopHostAddress") ?? "",
    errorCode: num(h.get("ErrorCode") ?? h.get("HopErrorCode")) ?? 0,
    rttMs: (h.get("RTTimes") ?? h.get("HopRTTimes") ?? "")
      .split(",")
      .map((t) => num(t))
      .filter((t): t is number => t !== null),
  }));
  const host = f.get("Host") ?? "";
  // A route that ends short of the host ends in Error_MaxHopCountExceeded rather than Complete.
  const last = hops.at(-1);
  const reached = last !== undefined && last.errorCode === 0;
  const responseTimeMs = num(f.get("ResponseTime"));
  const result: TraceRouteResult = { kind: "traceroute", host, responseTimeMs, reached, hops };
  const path = hops.map((h) => h.host || h.address || "*").join(" > ");
  const summary = result.reached
    ? `${host} reached in ${hops.length} hop${hops.length === 1 ? "" : "s"}${responseTimeMs !== null ? `, ${responseTimeMs} ms` : ""}: ${path}`
    : `${host} not reached after ${hops.length} hops${path ? `: ${path}` : ""}`;
  return [result, summary];
}

function throughput(kind: "download" | "upload", f: Fields): [ThroughputResult, string] {
  const bom = dateTimeMicros(f.get("BOMTime"));
  const eom = dateTimeMicros(f.get("EOMTime"));
  const rom = dateTimeMicros(f.get("ROMTime"));
  const open = dateTimeMicros(f.get("TCPOpenRequestTime"));
  const opened = dateTimeMicros(f.get("TCPOpenResponseTime"));
  const moved =
    kind === "download"
      ? num(f.get("TestBytesReceived")) || num(f.get("TotalBytesReceived")) || 0
      : num(f.get("TestBytesSent")) || num(f.get("TestFileLength")) || 0;
  const seconds = bom !== null && eom !== null && eom > bom ? (eom - bom) / 1_000_000 : null;
  const mbps = seconds ? round((moved * 8) / seconds / 1_000_000) : null;
  const result: ThroughputResult = {
    kind,
    url: f.get(kind === "download" ? "DownloadURL" : "UploadURL") ?? "",
    bytes: moved,
    seconds: seconds === null ? null : round(seconds, 3),
    mbps,
    tcpConnectMs: open !== null && opened !== null ? round((opened - open) / 1000, 1) : null,
    firstByteMs: rom !== null && bom !== null ? round((bom - rom) / 1000, 1) : null,
  };
  const size = moved >= 1_000_000 ? `${round(moved / 1_000_000, 1)} MB` : `${round(moved / 1000, 1)} kB`;
  const summary =
    mbps === null
      ? `${kind} test moved ${size}; no timing reported`
      : `${mbps} Mbit/s ${kind}: ${size} in ${round(seconds!, 2)} s${result.tcpConnectMs !== null ? ` (TCP connect ${result.tcpConnectMs} ms)` : ""}`;
  return [result, summary];
}

function dns(f: Fields): [DnsResult, string] {
  const answers = instances(f, "Result.").map((r) => ({
    status: r.get("Status") ?? "",
    answerType: r.get("AnswerType") ?? "",
    hostNameReturned: r.get("HostNameReturned") ?? "",
    ipAddresses: (r.get("IPAddresses") ?? "")
      .split(",")
      .map((a) => a.trim())
      .filter(Boolean),
    dnsServerIp: r.get("DNSServerIP") ?? "",
    responseTimeMs: num(r.get("ResponseTime")),
  }));
  const hostName = f.get("HostName") ?? "";
  const successCount = num(f.get("SuccessCount")) ?? answers.filter((a) => a.status === "Success").length;
  const ok = answers.find((a) => a.status === "Success");
  const summary = ok
    ? `${hostName} -> ${ok.ipAddresses.join(", ") || "(no address)"} (${ok.answerType === "Authoritative" ? "authoritative " : ""}answer from ${ok.dnsServerIp || "the DNS server"}${ok.responseTimeMs !== null ? ` in ${ok.responseTimeMs} ms` : ""}); ${successCount} of ${answers.length} lookups answered`
    : `${hostName} not resolved${answers[0] ? `: ${diagnosticsStateInWords(answers[0].status)}` : ""}`;
  return [{ kind: "dns", hostName, successCount, answers }, summary];
}

function wifiScan(f: Fields): [WifiScanResult, string] {
  const networks = instances(f, "Result.")
    .map((r) => ({
      ssid: r.get("SSID") ?? "",
      bssid: r.get("BSSID") ?? "",
      channel: num(r.get("Channel")),
      band: r.get("OperatingFrequencyBand") ?? "",
      signalDbm: num(r.get("SignalStrength")),
      noiseDbm: num(r.get("Noise")),
      security: r.get("SecurityModeEnabled") ?? "",
      encryption: r.get("EncryptionMode") ?? "",
      standards: r.get("OperatingStandards") ?? "",
      bandwidth: r.get("OperatingChannelBandwidth") ?? "",
    }))
    .sort((a, b) => (b.signalDbm ?? -999) - (a.signalDbm ?? -999));
  const perChannel = new Map<string, { band: string; channel: number; networks: number }>();
  for (const n of networks) {
    if (n.channel === null) continue;
    const key = `${n.band}/${n.channel}`;
    const entry = perChannel.get(key) ?? { band: n.band, channel: n.channel, networks: 0 };
    entry.networks += 1;
    perChannel.set(key, entry);
  }
  const channels = [...perChannel.values()].sort((a, b) => b.networks - a.networks || a.channel - b.channel);
  const bands = new Map<string, number>();
  for (const n of networks) bands.set(n.band || "unknown band", (bands.get(n.band || "unknown band") ?? 0) + 1);
  const strongest = networks[0];
  const summary = networks.length
    ? `${networks.length} network${networks.length === 1 ? "" : "s"}: ${[...bands].map(([b, c]) => `${c} on ${b}`).join(", ")}; busiest channel ${channels[0]?.channel ?? "?"} (${channels[0]?.networks ?? 0}); strongest ${strongest!.ssid || strongest!.bssid} (${strongest!.signalDbm ?? "?"} dBm, channel ${strongest!.channel ?? "?"})`
    : "no neighbouring networks found";
  return [{ kind: "wifiScan", networks, channels }, summary];
}
