import type { DiagnosticKind } from "@beacon/db";
import { z } from "zod";

/**
 * Where each remote diagnostic lives and what Beacon sets to start it. TR-181: Device.IP.Diagnostics (TR-143
 * download and upload), Device.DNS.Diagnostics, Device.WiFi.NeighboringWiFiDiagnostic. TR-098: the objects at
 * the root; NSLookupDiagnostics is at the root in TR-098 Amendment 2+, yet several firmwares put it under DNS.
 * Diagnostics; TR-098 has no WiFi scan, Huawei adds one under LANDevice.1.WiFi.
 */

export const DIAGNOSTIC_KINDS = [
  "ping",
  "traceroute",
  "download",
  "upload",
  "dns",
  "wifiScan",
] as const satisfies readonly DiagnosticKind[];

export function isDiagnosticKind(kind: string): kind is DiagnosticKind {
  return (DIAGNOSTIC_KINDS as readonly string[]).includes(kind);
}

type Root = "Device" | "InternetGatewayDevice";

interface Candidate {
  path: string;
  /** Vendor objects are used only when the device is known to have them. */
  vendor?: boolean;
}

export const DIAGNOSTIC_OBJECTS: Record<DiagnosticKind, Record<Root, readonly Candidate[]>> = {
  ping: {
    Device: [{ path: "Device.IP.Diagnostics.IPPing." }],
    InternetGatewayDevice: [{ path: "InternetGatewayDevice.IPPingDiagnostics." }],
  },
  traceroute: {
    Device: [{ path: "Device.IP.Diagnostics.TraceRoute." }],
    InternetGatewayDevice: [{ path: "InternetGatewayDevice.TraceRouteDiagnostics." }],
  },
  download: {
    Device: [{ path: "Device.IP.Diagnostics.DownloadDiagnostics." }],
    InternetGatewayDevice: [{ path: "InternetGatewayDevice.DownloadDiagnostics." }],
  },
  upload: {
    Device: [{ path: "Device.IP.Diagnostics.UploadDiagnostics." }],
    InternetGatewayDevice: [{ path: "InternetGatewayDevice.UploadDiagnostics." }],
  },
  dns: {
    Device: [{ path: "Device.DNS.Diagnostics.NSLookupDiagnostics." }],
    InternetGatewayDevice: [
      { path: "InternetGatewayDevice.NSLookupDiagnostics." },
      { path: "InternetGatewayDevice.DNS.Diagnostics.NSLookupDiagnostics.", vendor: true },
    ],
  },
  wifiScan: {
    Device: [{ path: "Device.WiFi.NeighboringWiFiDiagnostic." }],
    InternetGatewayDevice: [
      { path: "InternetGatewayDevice.LANDevice.1.WiFi.NeighboringWiFiDiagnostic.", vendor: true },
    ],
  },
};

/**
 * The object to use on a device: the first candidate whose DiagnosticsState the device is known to have, else
 * the standard one; null when the device's root has only vendor objects and it has none of them.
 */
export function diagnosticObject(kind: DiagnosticKind, root: Root, knownNames: ReadonlySet<string>): string | null {
  const candidates = DIAGNOSTIC_OBJECTS[kind][root];
  const known = candidates.find((c) => knownNames.has(`${c.path}DiagnosticsState`));
  if (known) return known.path;
  return candidates.find((c) => !c.vendor)?.path ?? null;
}

const host = z.string().trim().min(1).max(256);
const dscp = z.number().int().min(0).max(63).optional();
const iface = z.string().trim().min(1).optional();

/** What an operator may ask for, per kind; durations in milliseconds as the data models have them. */
export const DiagnosticParams = {
  ping: z.strictObject({
    host,
    repetitions: z.number().int().min(1).max(100).default(4),
    timeoutMs: z.number().int().min(100).max(60_000).default(1000),
    dataBlockSize: z.number().int().min(1).max(65_535).default(64),
    dscp,
    interface: iface,
  }),
  traceroute: z.strictObject({
    host,
    tries: z.number().int().min(1).max(3).default(3),
    timeoutMs: z.number().int().min(100).max(60_000).default(5000),
    maxHops: z.number().int().min(1).max(64).default(30),
    dataBlockSize: z.number().int().min(1).max(65_535).default(38),
    dscp,
    interface: iface,
  }),
  download: z.strictObject({
    url: z.url({ protocol: /^(https?|ftp)$/ }),
    connections: z.number().int().min(1).max(16).optional(),
    dscp,
    interface: iface,
  }),
  upload: z.strictObject({
    url: z.url({ protocol: /^(https?|ftp)$/ }),
    bytes: z.number().int().min(1).max(4_294_967_295).default(10_000_000),
    connections: z.number().int().min(1).max(16).optional(),
    dscp,
    interface: iface,
  }),
  dns: z.strictObject({
    hostName: host,
    dnsServer: z.string().trim().min(1).optional(),
    repetitions: z.number().int().min(1).max(10).default(1),
    timeoutMs: z.number().int().min(100).max(60_000).default(5000),
    interface: iface,
  }),
  wifiScan: z.strictObject({}),
} as const;

export type DiagnosticParamsOf<K extends DiagnosticKind> = z.output<(typeof DiagnosticParams)[K]>;

type Field = readonly [name: string, type: "xsd:string" | "xsd:unsignedInt"];

/** Beacon's parameter -> the data model's, for every kind (both roots use the same names). */
const FIELDS: Record<string, Field> = {
  host: ["Host", "xsd:string"],
  hostName: ["HostName", "xsd:string"],
  dnsServer: ["DNSServer", "xsd:string"],
  repetitions: ["NumberOfRepetitions", "xsd:unsignedInt"],
  tries: ["NumberOfTries", "xsd:unsignedInt"],
  timeoutMs: ["Timeout", "xsd:unsignedInt"],
  dataBlockSize: ["DataBlockSize", "xsd:unsignedInt"],
  maxHops: ["MaxHopCount", "xsd:unsignedInt"],
  dscp: ["DSCP", "xsd:unsignedInt"],
  interface: ["Interface", "xsd:string"],
  connections: ["NumberOfConnections", "xsd:unsignedInt"],
  bytes: ["TestFileLength", "xsd:unsignedInt"],
};

const URL_FIELD: Partial<Record<DiagnosticKind, string>> = { download: "DownloadURL", upload: "UploadURL" };

/**
 * The SetParameterValues that starts a diagnostic: its settings and DiagnosticsState "Requested" together, as
 * the data models ask (setting any other parameter afterwards would cancel the test).
 */
export function diagnosticStartValues(
  kind: DiagnosticKind,
  path: string,
  params: Record<string, unknown>,
): { name: string; value: string; type: string }[] {
  const values: { name: string; value: string; type: string }[] = [];
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    if (key === "url") {
      values.push({ name: `${path}${URL_FIELD[kind]}`, value: String(value), type: "xsd:string" });
      continue;
    }
    const field = FIELDS[key];
    if (field) values.push({ name: `${path}${field[0]}`, value: String(value), type: field[1] });
  }
  values.push({ name: `${path}DiagnosticsState`, value: "Requested", type: "xsd:string" });
  return values;
}
