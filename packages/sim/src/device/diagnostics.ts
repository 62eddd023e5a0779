import type { XsdType } from "@beacon/cwmp";
import type { DataModelRoot } from "../model/device-model.ts";
import type { ParameterStore } from "./parameter-store.ts";

/**
 * The remote diagnostics a CPE runs when the ACS sets `<object>.DiagnosticsState` to "Requested" (TR-098 and
 * TR-181 IPPing, TraceRoute, NSLookup, WiFi neighbour scan; TR-143 download and upload): after the session the
 * test runs for a while, its results land in the object, DiagnosticsState becomes Complete or an Error_ value,
 * and the device calls home with "8 DIAGNOSTICS COMPLETE". The results are made up but plausible; a host or URL
 * under .invalid fails the test as an unresolvable name would.
 */

export type SimulatedDiagnosticKind = "ping" | "traceroute" | "download" | "upload" | "dns" | "wifiScan";

/** Object names by their last segment, whatever their place in the tree (vendors move them). */
const KINDS: readonly [RegExp, SimulatedDiagnosticKind][] = [
  [/IPPing(Diagnostics)?\.$/, "ping"],
  [/TraceRoute(Diagnostics)?\.$/, "traceroute"],
  [/DownloadDiagnostics\.$/, "download"],
  [/UploadDiagnostics\.$/, "upload"],
  [/NSLookupDiagnostics\.$/, "dns"],
  [/NeighboringWiFiDiagnostic\.$/, "wifiScan"],
];

export function diagnosticKindOf(objectName: string): SimulatedDiagnosticKind | undefined {
  return KINDS.find(([pattern]) => pattern.test(objectName))?.[1];
}

interface Cell {
  readonly type: XsdType;
  readonly value: string;
}

export interface DiagnosticOutcome {
  /** How long the test takes, in (scaled) seconds. */
  readonly seconds: number;
  /** Values by name relative to the object; only those the device has are written. */
  readonly values: Readonly<Record<string, string>>;
  /** Result tables by name relative to the object ("RouteHops."), their rows by field. */
  readonly tables: Readonly<Record<string, readonly Readonly<Record<string, Cell>>[]>>;
}

export interface DiagnosticContext {
  readonly root: DataModelRoot;
  /** The device's value of a name relative to the object, "" when absent. */
  readonly field: (name: string) => string;
  /** The device's WAN address, for IPAddressUsed. */
  readonly wanAddress: string;
  readonly now: () => Date;
  readonly random: () => number;
}

const str = (value: string): Cell => ({ type: "xsd:string", value });
const uint = (value: number): Cell => ({ type: "xsd:unsignedInt", value: String(Math.max(0, Math.round(value))) });

/** A test that fails before it starts: the name does not resolve. */
function unresolvable(target: string): boolean {
  if (target.trim() === "") return true;
  let host = target.trim();
  try {
    host = new URL(target).hostname;
  } catch {
    // a bare host name or address
  }
  return /\.invalid\.?$/i.test(host) || host === "invalid";
}

/** A private or loopback address answers from the LAN, within a millisecond or so. */
function nearby(host: string): boolean {
  return /^(10\.|127\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|localhost$)/.test(host);
}

/** TR-143 times: xsd:dateTime with microseconds. */
function micros(date: Date, extraMicros: number): string {
  const whole = Math.floor(extraMicros / 1000);
  const at = new Date(date.getTime() + whole);
  const fraction = String(at.getUTCMilliseconds() * 1000 + Math.round(extraMicros % 1000)).padStart(6, "0");
  return `${at.toISOString().slice(0, 19)}.${fraction}Z`;
}

/** A stable address for a name, so that a host resolves the same way every time. */
function addressOf(name: string): string {
  let h = 2166136261;
  for (const c of name) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return `93.184.${(h >>> 8) & 0xff}.${(h & 0xfe) + 1}`;
}

export function runSimulatedDiagnostic(kind: SimulatedDiagnosticKind, c: DiagnosticContext): DiagnosticOutcome {
  switch (kind) {
    case "ping":
      return ping(c);
    case "traceroute":
      return traceRoute(c);
    case "download":
    case "upload":
      return throughput(kind, c);
    case "dns":
      return nsLookup(c);
    case "wifiScan":
      return wifiScan(c);
  }
}

function failed(state: string, seconds = 0.5): DiagnosticOutcome {
  return { seconds, values: { DiagnosticsState: state }, tables: {} };
}

function ping(c: DiagnosticContext): DiagnosticOutcome {
  const host = c.field("Host");
  if (unresolvable(host)) return failed("Error_CannotResolveHostName");
  const repetitions = Math.min(Math.max(Number(c.field("NumberOfRepetitions")) || 4, 1), 100);
  const base = nearby(host) ? 0.4 : 8 + c.random() * 14;
  // One in ten requests is lost on a long path, none on the LAN.
  const times: number[] = [];
  let lost = 0;
  for (let i = 0; i < repetitions; i++) {
    if (!nearby(host) && c.random() < 0.05) lost++;
    else times.push(base + c.random() * base * 0.4);
  }
  const avg = times.length ? times.reduce((a, b) => a + b, 0) / times.length : 0;
  const min = times.length ? Math.min(...times) : 0;
  const max = times.length ? Math.max(...times) : 0;
  return {
    seconds: repetitions,
    values: {
      DiagnosticsState: "Complete",
      IPAddressUsed: c.wanAddress,
      SuccessCount: String(times.length),
      FailureCount: String(lost),
      AverageResponseTime: String(Math.round(avg)),
      MinimumResponseTime: String(Math.round(min)),
      MaximumResponseTime: String(Math.round(max)),
      AverageResponseTimeDetailed: String(Math.round(avg * 1000)),
      MinimumResponseTimeDetailed: String(Math.round(min * 1000)),
      MaximumResponseTimeDetailed: String(Math.round(max * 1000)),
    },
    tables: {},
  };
}

function traceRoute(c: DiagnosticContext): DiagnosticOutcome {
  const host = c.field("Host");
  if (unresolvable(host)) return failed("Error_CannotResolveHostName");
  const maxHops = Math.min(Math.max(Number(c.field("MaxHopCount")) || 30, 1), 64);
  const tries = Math.min(Math.max(Number(c.field("NumberOfTries")) || 3, 1), 3);
  const target = /^\d+\.\d+\.\d+\.\d+$/.test(host) ? host : addressOf(host);
  const path = nearby(host)
    ? [[host, host]]
    : [
        ["bras1.isp.example", "100.64.0.1"],
        ["core1.isp.example", "198.51.100.65"],
        ["core2.isp.example", "198.51.100.129"],
        ["ix-peer.example", "192.0.2.17"],
        ["", "192.0.2.33"],
        [host, target],
      ];
  const reached = path.length <= maxHops;
  const hops = path.slice(0, maxHops);
  // TR-181 names the hop fields Host, HostAddress, ...; TR-098 HopHost, HopHostAddress, ...
  const p = c.root === "Device" ? "" : "Hop";
  let rtt = 1 + c.random() * 2;
  const rows = hops.map(([name, address]) => {
    rtt += 1 + c.random() * 4;
    const times = Array.from({ length: tries }, () => Math.max(1, Math.round(rtt + c.random() * 2)));
    return {
      [`${p}Host`]: str(name ?? ""),
      [`${p}HostAddress`]: str(address ?? ""),
      [`${p}ErrorCode`]: uint(0),
      [`${p}RTTimes`]: str(times.join(",")),
    };
  });
  return {
    seconds: 0.3 * hops.length,
    values: {
      DiagnosticsState: reached ? "Complete" : "Error_MaxHopCountExceeded",
      IPAddressUsed: c.wanAddress,
      ResponseTime: String(Math.round(rtt)),
    },
    tables: { "RouteHops.": rows },
  };
}

function throughput(kind: "download" | "upload", c: DiagnosticContext): DiagnosticOutcome {
  const url = c.field(kind === "download" ? "DownloadURL" : "UploadURL");
  if (unresolvable(url))
    return failed(kind === "download" ? "Error_InitConnectionFailed" : "Error_InitConnectionFailed");
  const mbps = kind === "download" ? 180 + c.random() * 120 : 40 + c.random() * 40;
  const bytes = kind === "download" ? 25_000_000 : Number(c.field("TestFileLength")) || 10_000_000;
  const transferMicros = Math.round(((bytes * 8) / (mbps * 1_000_000)) * 1_000_000);
  const start = c.now();
  const connectMicros = Math.round(4_000 + c.random() * 8_000);
  const firstByteMicros = connectMicros + Math.round(10_000 + c.random() * 15_000);
  const overhead = Math.round(bytes * 0.03);
  const values: Record<string, string> = {
    DiagnosticsState: "Complete",
    IPAddressUsed: c.wanAddress,
    TCPOpenRequestTime: micros(start, 0),
    TCPOpenResponseTime: micros(start, connectMicros),
    ROMTime: micros(start, connectMicros + 200),
    BOMTime: micros(start, firstByteMicros),
    EOMTime: micros(start, firstByteMicros + transferMicros),
  };
  if (kind === "download") {
    values.TestBytesReceived = String(bytes);
    values.TotalBytesReceived = String(bytes + overhead);
    values.TotalBytesSent = String(Math.round(overhead / 20));
  } else {
    values.TestBytesSent = String(bytes);
    values.TotalBytesSent = String(bytes + overhead);
    values.TotalBytesReceived = String(Math.round(overhead / 20));
  }
  return { seconds: Math.max(1, transferMicros / 1_000_000), values, tables: {} };
}

function nsLookup(c: DiagnosticContext): DiagnosticOutcome {
  const hostName = c.field("HostName");
  if (hostName.trim() === "") return failed("Error_Other");
  const repetitions = Math.min(Math.max(Number(c.field("NumberOfRepetitions")) || 1, 1), 10);
  const server = c.field("DNSServer") || "198.51.100.1";
  const bad = unresolvable(hostName);
  const rows = Array.from({ length: repetitions }, () => ({
    Status: str(bad ? "Error_HostNameNotResolved" : "Success"),
    AnswerType: str(bad ? "None" : "NonAuthoritative"),
    HostNameReturned: str(bad ? "" : hostName),
    IPAddresses: str(bad ? "" : addressOf(hostName)),
    DNSServerIP: str(server),
    ResponseTime: uint(3 + c.random() * 20),
  }));
  return {
    seconds: 0.5 * repetitions,
    values: { DiagnosticsState: "Complete", SuccessCount: String(bad ? 0 : repetitions) },
    tables: { "Result.": rows },
  };
}

const NEIGHBOURS = [
  ["Livebox-3A2F", "2.4GHz", 1, "WPA2-Personal"],
  ["FreeWifi", "2.4GHz", 6, "None"],
  ["SFR_B7C0", "2.4GHz", 6, "WPA2-Personal"],
  ["Bbox-91D2E4", "2.4GHz", 11, "WPA2-WPA3-Personal"],
  ["HP-Print-4F-LaserJet", "2.4GHz", 11, "WPA2-Personal"],
  ["Livebox-3A2F-5G", "5GHz", 36, "WPA2-Personal"],
  ["Bbox-91D2E4-5G", "5GHz", 44, "WPA3-Personal"],
] as const;

function wifiScan(c: DiagnosticContext): DiagnosticOutcome {
  const rows = NEIGHBOURS.filter(() => c.random() < 0.85).map(([ssid, band, channel, security], i) => ({
    Radio: str("Device.WiFi.Radio.1"),
    SSID: str(ssid),
    BSSID: str(`02:1a:2b:3c:4d:${(0x10 + i).toString(16)}`),
    Mode: str("Infrastructure"),
    Channel: uint(channel),
    SignalStrength: { type: "xsd:int" as const, value: String(-40 - Math.round(c.random() * 45)) },
    SecurityModeEnabled: str(security),
    EncryptionMode: str(security === "None" ? "" : "AES"),
    OperatingFrequencyBand: str(band),
    SupportedStandards: str(band === "5GHz" ? "a,n,ac,ax" : "b,g,n"),
    OperatingStandards: str(band === "5GHz" ? "ac" : "n"),
    OperatingChannelBandwidth: str(band === "5GHz" ? "80MHz" : "20MHz"),
    BeaconPeriod: uint(100),
    Noise: { type: "xsd:int" as const, value: String(-92 - Math.round(c.random() * 6)) },
  }));
  return { seconds: 3, values: { DiagnosticsState: "Complete" }, tables: { "Result.": rows } };
}

/**
 * Writes an outcome into the device's object: the values it has, and its result tables. Results of a test are
 * read-only to the ACS, so they go in without checks.
 */
export function applyDiagnosticOutcome(store: ParameterStore, objectName: string, outcome: DiagnosticOutcome): void {
  for (const [name, value] of Object.entries(outcome.values)) {
    const full = `${objectName}${name}`;
    if (store.node(full)?.object === false) store.setValue(full, value);
  }
  for (const [table, rows] of Object.entries(outcome.tables)) store.replaceInstances(`${objectName}${table}`, rows);
}
