/**
 * What the registry needs from an Inform, independent of how the codec spells it. The session layer builds
 * this from the decoded message (see inform-facts-from-message.ts).
 */
export interface InformFacts {
  manufacturer: string;
  oui: string;
  productClass: string;
  serialNumber: string;
  events: InformEvent[];
  parameters: InformParameter[];
}

export interface InformEvent {
  code: string;
  commandKey: string;
}

export interface InformParameter {
  name: string;
  value: string;
  type?: string;
}

/** Device columns an Inform can tell us, read from the well-known parameters of either data model root. */
export interface DeviceSummary {
  dataModelRoot: string | null;
  modelName: string | null;
  softwareVersion: string | null;
  hardwareVersion: string | null;
  connectionRequestUrl: string | null;
  udpConnectionRequestAddress: string | null;
  externalIp: string | null;
  macAddress: string | null;
  periodicInformInterval: number | null;
}

const ROOTS = ["InternetGatewayDevice", "Device"];

/** "InternetGatewayDevice" (TR-098) or "Device" (TR-181/TR-106), from the first rooted parameter name. */
export function dataModelRootOf(parameters: readonly InformParameter[]): string | null {
  for (const p of parameters) {
    const root = p.name.slice(0, p.name.indexOf("."));
    if (ROOTS.includes(root)) return root;
  }
  return null;
}

export function deviceSummary(parameters: readonly InformParameter[]): DeviceSummary {
  const bySuffix = new Map<string, string>();
  let externalIp: string | null = null;
  let macAddress: string | null = null;
  for (const p of parameters) {
    const dot = p.name.indexOf(".");
    const rest = dot === -1 ? p.name : p.name.slice(dot + 1);
    bySuffix.set(rest, p.value);
    // TR-098 WANIPConnection/WANPPPConnection, TR-181 IP.Interface; Thomson sends a bare ".ExternalIPAddress".
    if (externalIp === null && /(^|\.)(ExternalIPAddress|IPv4Address\.\d+\.IPAddress)$/.test(p.name) && p.value) {
      externalIp = p.value;
    }
    if (macAddress === null && /(^|\.)MACAddress$/.test(p.name) && p.value) macAddress = p.value;
  }
  const get = (suffix: string) => {
    const v = bySuffix.get(suffix);
    return v === undefined || v === "" ? null : v;
  };
  const interval = Number.parseInt(get("ManagementServer.PeriodicInformInterval") ?? "", 10);
  return {
    dataModelRoot: dataModelRootOf(parameters),
    modelName: get("DeviceInfo.ModelName"),
    softwareVersion: get("DeviceInfo.SoftwareVersion"),
    hardwareVersion: get("DeviceInfo.HardwareVersion"),
    connectionRequestUrl: get("ManagementServer.ConnectionRequestURL"),
    udpConnectionRequestAddress: get("ManagementServer.UDPConnectionRequestAddress"),
    externalIp,
    macAddress,
    periodicInformInterval: Number.isFinite(interval) && interval > 0 ? interval : null,
  };
}

/**
 * When the device booted: the Inform's time less its DeviceInfo.UpTime when it reports one, else the Inform's
 * time (a BOOT Inform comes right after the boot).
 */
export function bootTimeOf(parameters: readonly InformParameter[], now: Date): Date {
  const upTime = parameters.find((p) => /^[^.]+\.DeviceInfo\.UpTime$/.test(p.name))?.value;
  const seconds = upTime === undefined ? Number.NaN : Number(upTime);
  if (!Number.isFinite(seconds) || seconds < 0 || seconds > 10 * 365 * 86_400) return now;
  return new Date(Math.floor((now.getTime() - seconds * 1000) / 1000) * 1000);
}

/** Event codes as the codec spells them (TR-069 3.7.1.5 Table 7). */
export const EVENT = {
  bootstrap: "0 BOOTSTRAP",
  boot: "1 BOOT",
  periodic: "2 PERIODIC",
  scheduled: "3 SCHEDULED",
  valueChange: "4 VALUE CHANGE",
  kicked: "5 KICKED",
  connectionRequest: "6 CONNECTION REQUEST",
  transferComplete: "7 TRANSFER COMPLETE",
  diagnosticsComplete: "8 DIAGNOSTICS COMPLETE",
  requestDownload: "9 REQUEST DOWNLOAD",
  autonomousTransferComplete: "10 AUTONOMOUS TRANSFER COMPLETE",
  duStateChangeComplete: "11 DU STATE CHANGE COMPLETE",
  autonomousDuStateChangeComplete: "12 AUTONOMOUS DU STATE CHANGE COMPLETE",
  wakeup: "13 WAKEUP",
  heartbeat: "14 HEARTBEAT",
  mReboot: "M Reboot",
  mDownload: "M Download",
  mUpload: "M Upload",
  mScheduleInform: "M ScheduleInform",
} as const;
