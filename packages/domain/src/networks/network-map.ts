/**
 * A device's networks as the device itself describes them: radios with their band, networks (SSIDs) with their
 * radio, band, state and role, and WAN connections with what they carry. Instance numbers say nothing about what
 * an object is (a dual-band TR-098 gateway may put its 5 GHz network on WLANConfiguration.1); the band comes from
 * OperatingFrequencyBand when reported, else from the channel, the possible channels or the standard, and is
 * "unknown" when none of them tells. Pure: the values come from the caller (DeviceParameter rows).
 */

export const BANDS = ["2.4GHz", "5GHz", "6GHz"] as const;
export type Band = (typeof BANDS)[number] | "unknown";
/** How the band was learnt. */
export type BandSource = "reported" | "channel" | "possible-channels" | "standard" | "unknown";
/** main: the band's first user network; guest: named or flagged so; backhaul: mesh links, never a guest's; extra: any other. */
export type NetworkRole = "main" | "guest" | "backhaul" | "extra";
export type WanService = "internet" | "voip" | "tv" | "management" | "other";

export interface RadioInfo {
  /** The object that carries the radio's settings (TR-181 Radio.{i}.; TR-098 the band's first WLANConfiguration). */
  path: string;
  band: Band;
  bandSource: BandSource;
  enabled: boolean | null;
  channel: string | null;
}

export interface NetworkInfo {
  /** TR-181 WiFi.SSID.{i}. or TR-098 WLANConfiguration.{i}. */
  path: string;
  /** The access point serving it (TR-181 AccessPoint.{i}.; TR-098 the WLANConfiguration itself). */
  accessPoint: string | null;
  radio: string | null;
  band: Band;
  role: NetworkRole;
  enabled: boolean | null;
  ssid: string;
  security: string | null;
  /** Associated clients when the device counts them. */
  clients: number | null;
}

export interface WanConnection {
  path: string;
  kind: "ppp" | "ip";
  service: WanService;
  enabled: boolean | null;
  status: string | null;
  /** TR-098: its WANConnectionDevice. */
  device: string | null;
}

export interface NetworkMap {
  root: "InternetGatewayDevice" | "Device";
  radios: RadioInfo[];
  networks: NetworkInfo[];
  wan: WanConnection[];
  /** False when the device has no network Beacon can place on a band. */
  recognised: boolean;
  /** What could not be worked out, in words. */
  problems: string[];
}

export interface NetworkParameterValue {
  name: string;
  value: string | null;
}

export const BAND_LABEL: Record<Band, string> = {
  "2.4GHz": "2.4 GHz",
  "5GHz": "5 GHz",
  "6GHz": "6 GHz",
  unknown: "unknown band",
};

/** The vocabulary's word for a band: wifi.2g, wifi.5g, wifi.6g. */
export const BAND_KEY: Record<Exclude<Band, "unknown">, "2g" | "5g" | "6g"> = {
  "2.4GHz": "2g",
  "5GHz": "5g",
  "6GHz": "6g",
};

/** The subtrees a map is derived from, per data model root. */
export function networkMapPrefixes(root: NetworkMap["root"]): string[] {
  return root === "Device"
    ? ["Device.WiFi.", "Device.PPP.Interface.", "Device.IP.Interface."]
    : ["InternetGatewayDevice.LANDevice.", "InternetGatewayDevice.WANDevice."];
}

export function networkLabel(n: Pick<NetworkInfo, "band" | "role" | "ssid" | "path">): string {
  const role = n.role === "main" ? "main" : n.role;
  return `${BAND_LABEL[n.band]} ${role} network "${n.ssid}" (${n.path.replace(/\.$/, "")})`;
}

function normaliseBand(reported: string | null | undefined): Band | null {
  if (!reported) return null;
  const v = reported.trim().toLowerCase();
  if (/^2[.,]4/.test(v)) return "2.4GHz";
  if (/^5(\s*g|$|\s*ghz)/.test(v)) return "5GHz";
  if (/^6(\s*g|$|\s*ghz)/.test(v)) return "6GHz";
  return null;
}

function channelsOf(list: string | null | undefined): number[] {
  if (!list) return [];
  const out: number[] = [];
  for (const part of list.split(",")) {
    const range = /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(part);
    if (range) {
      const [from, to] = [Number(range[1]), Number(range[2])];
      if (to >= from && to - from < 300) for (let c = from; c <= to; c++) out.push(c);
      continue;
    }
    const n = Number(part.trim());
    if (part.trim() !== "" && Number.isInteger(n) && n > 0) out.push(n);
  }
  return out;
}

/**
 * IEEE 802.11 channel numbers: 1-14 are 2.4 GHz, 32-177 5 GHz; 6 GHz numbers (1-233) overlap both, so a channel
 * says 6 GHz only above 177, and a list of possible channels only when it goes above 177.
 */
export function bandFrom(evidence: {
  reported?: string | null;
  channel?: string | null;
  possibleChannels?: string | null;
  standard?: string | null;
}): { band: Band; source: BandSource } {
  const reported = normaliseBand(evidence.reported);
  if (reported) return { band: reported, source: "reported" };
  const possible = channelsOf(evidence.possibleChannels);
  if (possible.length) {
    const max = Math.max(...possible);
    if (max > 177) return { band: "6GHz", source: "possible-channels" };
    if (max <= 14) return { band: "2.4GHz", source: "possible-channels" };
    if (Math.min(...possible) >= 32) return { band: "5GHz", source: "possible-channels" };
  }
  const channel = Number(evidence.channel ?? "");
  if (Number.isInteger(channel) && channel > 0) {
    if (channel <= 14) return { band: "2.4GHz", source: "channel" };
    if (channel >= 32 && channel <= 177) return { band: "5GHz", source: "channel" };
    if (channel > 177 && channel <= 233) return { band: "6GHz", source: "channel" };
  }
  // "11bgn", "b,g,n", "a/n/ac": b and g are 2.4 GHz only, a and ac 5 GHz only; n, ax and be are both.
  const standard = (evidence.standard ?? "")
    .toLowerCase()
    .replace(/802\.11|11/g, "")
    .replace(/ax|be/g, "");
  const only24 = /[bg]/.test(standard) && !/a/.test(standard);
  const only5 = /a/.test(standard) && !/[bg]/.test(standard);
  if (only24) return { band: "2.4GHz", source: "standard" };
  if (only5) return { band: "5GHz", source: "standard" };
  return { band: "unknown", source: "unknown" };
}

const TRUE = new Set(["true", "1", "enabled", "up"]);
const FALSE = new Set(["false", "0", "disabled", "down"]);
function bool(value: string | null | undefined): boolean | null {
  if (value === null || value === undefined) return null;
  const v = value.trim().toLowerCase();
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  return null;
}

/** Parameters of one object instance, by the rest of their name ("Security.ModeEnabled"). */
type Fields = Map<string, string>;

/** Groups values under objects matching `pattern` (whose match is the object path, ending in "."). */
function objectsMatching(values: readonly NetworkParameterValue[], pattern: RegExp): Map<string, Fields> {
  const out = new Map<string, Fields>();
  for (const { name, value } of values) {
    const m = pattern.exec(name);
    if (!m) continue;
    const path = m[0];
    let fields = out.get(path);
    if (!fields) {
      fields = new Map();
      out.set(path, fields);
    }
    if (value !== null) fields.set(name.slice(path.length), value);
  }
  return new Map([...out].sort(([a], [b]) => compareInstancePaths(a, b)));
}

function compareInstancePaths(a: string, b: string): number {
  const pa = a.split(".");
  const pb = b.split(".");
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? "";
    const y = pb[i] ?? "";
    if (x === y) continue;
    const nx = Number(x);
    const ny = Number(y);
    if (x !== "" && y !== "" && Number.isInteger(nx) && Number.isInteger(ny)) return nx - ny;
    return x.localeCompare(y);
  }
  return 0;
}

/** A vendor extension (X_<vendor>_<Name>) ending in `suffix`, e.g. X_HW_ServiceList. */
function vendorField(fields: Fields, suffix: RegExp): string | undefined {
  for (const [name, value] of fields) if (/^X_[^.]+_[^.]+$/.test(name) && suffix.test(name)) return value;
  return undefined;
}

const GUEST_WORDS = /guest|invit|visitor|gast|hôte|hote\b/i;
const BACKHAUL_WORDS = /backhaul|mesh|easymesh|\bbh\b|_bh\b/i;

function flagged(fields: Fields | undefined, word: RegExp): boolean {
  if (!fields) return false;
  for (const [name, value] of fields) {
    if (!/^X_[^.]+_/.test(name) || !word.test(name.replace(/^X_[^_]+_/, ""))) continue;
    if (bool(value) === true) return true;
    if (word.test(value)) return true;
  }
  return false;
}

function nameWords(fields: Fields | undefined): string {
  if (!fields) return "";
  return ["SSID", "Alias", "Name"].map((k) => fields.get(k) ?? "").join(" ");
}

function roleHint(fields: Fields | undefined, ap: Fields | undefined): "guest" | "backhaul" | null {
  const words = `${nameWords(fields)} ${nameWords(ap)}`;
  // Mesh backhaul links are hidden networks with generated names (e.g. 30 hex digits).
  const hidden = bool(ap?.get("SSIDAdvertisementEnabled") ?? fields?.get("SSIDAdvertisementEnabled")) === false;
  if (hidden && /^[0-9a-f]{16,}$/i.test(fields?.get("SSID") ?? "")) return "backhaul";
  if (BACKHAUL_WORDS.test(words) || flagged(fields, /backhaul|mesh/i) || flagged(ap, /backhaul|mesh/i))
    return "backhaul";
  if (GUEST_WORDS.test(words) || flagged(fields, /guest/i) || flagged(ap, /guest/i)) return "guest";
  return null;
}

/** Main is the first user network of each band; later ones without a guest or backhaul sign are extra. */
function assignRoles(networks: (Omit<NetworkInfo, "role"> & { hint: "guest" | "backhaul" | null })[]): NetworkInfo[] {
  const mainOf = new Set<Band>();
  return networks.map(({ hint, ...n }) => {
    let role: NetworkRole = hint ?? "extra";
    if (!hint && n.band !== "unknown" && !mainOf.has(n.band)) {
      role = "main";
      mainOf.add(n.band);
    }
    return { ...n, role };
  });
}

function securityOf098(fields: Fields): string | null {
  const beacon = fields.get("BeaconType");
  if (!beacon) return null;
  switch (beacon) {
    case "None":
    case "Basic":
      return fields.get("BasicEncryptionModes") === "WEPEncryption" ? "WEP" : beacon === "None" ? "None" : "Open";
    case "WPA":
      return "WPA-Personal";
    case "11i":
      return "WPA2-Personal";
    case "WPAand11i":
      return "WPA-WPA2-Personal";
    default:
      return beacon;
  }
}

function serviceOf(fields: Fields, name: string): WanService | null {
  const list = (vendorField(fields, /ServiceList$/) ?? "").toUpperCase();
  const words = `${list} ${name.toUpperCase()}`;
  if (/INTERNET/.test(words)) return "internet";
  if (/VOIP|VOICE/.test(words)) return "voip";
  if (/IPTV|\bTV\b|VIDEO|OTHER/.test(words)) return "tv";
  if (/TR069|TR-069|MANAGEMENT|ACS/.test(words)) return "management";
  return null;
}

function deriveTr098(values: readonly NetworkParameterValue[]): Omit<NetworkMap, "recognised" | "problems"> {
  const wlans = objectsMatching(values, /^InternetGatewayDevice\.LANDevice\.\d+\.WLANConfiguration\.\d+\./);
  const found: Parameters<typeof assignRoles>[0] = [];
  for (const [path, f] of wlans) {
    const { band } = bandFrom({
      reported: f.get("OperatingFrequencyBand") ?? vendorField(f, /(FrequencyBand|Band|RFBand)$/),
      channel: f.get("Channel"),
      possibleChannels: f.get("PossibleChannels"),
      standard: f.get("Standard"),
    });
    const count = f.get("TotalAssociations") ?? f.get("AssociatedDeviceNumberOfEntries");
    found.push({
      path,
      accessPoint: path,
      radio: path,
      band,
      enabled: bool(f.get("Enable")),
      ssid: f.get("SSID") ?? "",
      security: securityOf098(f),
      clients: count !== undefined && /^\d+$/.test(count) ? Number(count) : null,
      hint: roleHint(f, undefined),
    });
  }
  // TR-098 has no radio object: each WLANConfiguration carries its radio's settings; the band's first stands for it.
  const radios: RadioInfo[] = [];
  for (const [path, f] of wlans) {
    const b = bandFrom({
      reported: f.get("OperatingFrequencyBand") ?? vendorField(f, /(FrequencyBand|Band|RFBand)$/),
      channel: f.get("Channel"),
      possibleChannels: f.get("PossibleChannels"),
      standard: f.get("Standard"),
    });
    if (b.band !== "unknown" && radios.some((r) => r.band === b.band)) continue;
    radios.push({
      path,
      band: b.band,
      bandSource: b.source,
      enabled: bool(f.get("RadioEnabled") ?? f.get("Enable")),
      channel: f.get("Channel") ?? null,
    });
  }
  const wan: WanConnection[] = [];
  const connections = objectsMatching(
    values,
    /^InternetGatewayDevice\.WANDevice\.\d+\.WANConnectionDevice\.\d+\.WAN(?:IP|PPP)Connection\.\d+\./,
  );
  for (const [path, f] of connections) {
    const kind = path.includes(".WANPPPConnection.") ? "ppp" : "ip";
    const type = f.get("ConnectionType") ?? "";
    const service =
      serviceOf(f, f.get("Name") ?? "") ??
      (/Bridged/i.test(type)
        ? "other"
        : /Routed/i.test(type) && bool(f.get("NATEnabled")) !== false
          ? "internet"
          : "other");
    wan.push({
      path,
      kind,
      service,
      enabled: bool(f.get("Enable")),
      status: f.get("ConnectionStatus") ?? null,
      device: path.replace(/WAN(?:IP|PPP)Connection\.\d+\.$/, ""),
    });
  }
  return { root: "InternetGatewayDevice", radios, networks: assignRoles(found), wan: orderWan(wan) };
}

/** "Device.WiFi.Radio.2" or "Device.WiFi.Radio.2." -> "Device.WiFi.Radio.2." */
function objectRef(value: string | undefined): string | null {
  const first = value?.split(",")[0]?.trim();
  if (!first) return null;
  return first.endsWith(".") ? first : `${first}.`;
}

function deriveTr181(values: readonly NetworkParameterValue[]): Omit<NetworkMap, "recognised" | "problems"> {
  const radioObjects = objectsMatching(values, /^Device\.WiFi\.Radio\.\d+\./);
  const ssids = objectsMatching(values, /^Device\.WiFi\.SSID\.\d+\./);
  const aps = objectsMatching(values, /^Device\.WiFi\.AccessPoint\.\d+\./);
  const radios: RadioInfo[] = [];
  for (const [path, f] of radioObjects) {
    const supported = f.get("SupportedFrequencyBands");
    const b = bandFrom({
      reported: f.get("OperatingFrequencyBand") || (supported && !supported.includes(",") ? supported : null),
      channel: f.get("Channel"),
      possibleChannels: f.get("PossibleChannels"),
      standard: f.get("OperatingStandards"),
    });
    radios.push({
      path,
      band: b.band,
      bandSource: b.source,
      enabled: bool(f.get("Enable")),
      channel: f.get("Channel") ?? null,
    });
  }
  // SSIDs may stack on other interfaces before reaching a radio; follow LowerLayers a few hops.
  const radioOf = (ssidPath: string): string | null => {
    let ref = objectRef(ssids.get(ssidPath)?.get("LowerLayers"));
    for (let hop = 0; ref && hop < 4; hop++) {
      if (radioObjects.has(ref)) return ref;
      ref = objectRef(ssids.get(ref)?.get("LowerLayers"));
    }
    // An SSID that names no lower layer on a device with a single radio can only sit on that radio.
    return radioObjects.size === 1 && !ssids.get(ssidPath)?.get("LowerLayers") ? [...radioObjects.keys()][0]! : null;
  };
  const apOf = new Map<string, [string, Fields]>();
  for (const [path, f] of aps) {
    const ssid = objectRef(f.get("SSIDReference"));
    if (ssid && !apOf.has(ssid)) apOf.set(ssid, [path, f]);
  }
  const found: Parameters<typeof assignRoles>[0] = [];
  for (const [path, f] of ssids) {
    const radio = radioOf(path);
    const ap = apOf.get(path);
    const apEnabled = bool(ap?.[1].get("Enable"));
    const ssidEnabled = bool(f.get("Enable"));
    const clients = Number(ap?.[1].get("AssociatedDeviceNumberOfEntries") ?? "");
    found.push({
      path,
      accessPoint: ap?.[0] ?? null,
      radio,
      band: radios.find((r) => r.path === radio)?.band ?? "unknown",
      enabled: ssidEnabled === false || apEnabled === false ? false : ssidEnabled,
      ssid: f.get("SSID") ?? "",
      security: ap?.[1].get("Security.ModeEnabled") ?? null,
      clients: ap?.[1].has("AssociatedDeviceNumberOfEntries") && Number.isFinite(clients) ? clients : null,
      hint: roleHint(f, ap?.[1]),
    });
  }
  const wan: WanConnection[] = [];
  for (const [path, f] of objectsMatching(values, /^Device\.PPP\.Interface\.\d+\./)) {
    wan.push({
      path,
      kind: "ppp",
      service: serviceOf(f, `${f.get("Name") ?? ""} ${f.get("Alias") ?? ""}`) ?? "internet",
      enabled: bool(f.get("Enable")),
      status: f.get("ConnectionStatus") ?? f.get("Status") ?? null,
      device: null,
    });
  }
  for (const [path, f] of objectsMatching(values, /^Device\.IP\.Interface\.\d+\./)) {
    const words = `${f.get("Name") ?? ""} ${f.get("Alias") ?? ""}`;
    const lower = f.get("LowerLayers") ?? "";
    if (/lan|br-|bridge/i.test(words) || /Bridging|\.Bridge\./.test(lower) || /loopback|^lo\b/i.test(words)) continue;
    const overPpp = /Device\.PPP\.Interface\./.test(lower);
    if (overPpp) continue; // the PPP interface stands for it
    const service = serviceOf(f, words) ?? (/wan|internet|pon|ont/i.test(words) ? "internet" : null);
    if (!service) continue;
    wan.push({
      path,
      kind: "ip",
      service,
      enabled: bool(f.get("Enable")),
      status: f.get("Status") ?? null,
      device: null,
    });
  }
  return { root: "Device", radios, networks: assignRoles(found), wan: orderWan(wan) };
}

/** The Internet connection first: enabled and up before the rest, then in device order. */
function orderWan(wan: WanConnection[]): WanConnection[] {
  const rank = (w: WanConnection) =>
    (w.service === "internet" ? 0 : 4) + (w.enabled === false ? 2 : 0) + (/connected|up/i.test(w.status ?? "") ? 0 : 1);
  return wan
    .map((w, i) => ({ w, i }))
    .sort((a, b) => rank(a.w) - rank(b.w) || a.i - b.i)
    .map(({ w }) => w);
}

export function deriveNetworkMap(root: NetworkMap["root"], values: readonly NetworkParameterValue[]): NetworkMap {
  const base = root === "Device" ? deriveTr181(values) : deriveTr098(values);
  const problems: string[] = [];
  if (base.networks.length === 0) problems.push("no WiFi network was found on the device");
  for (const n of base.networks) {
    if (n.band === "unknown") {
      problems.push(`the band of ${n.path.replace(/\.$/, "")} ("${n.ssid}") is neither reported nor derivable`);
    }
  }
  if (!base.wan.some((w) => w.service === "internet"))
    problems.push("no WAN connection carrying Internet was recognised");
  const recognised = base.networks.some((n) => n.band !== "unknown" && n.role === "main");
  return { ...base, recognised, problems };
}

/** The Internet connection, preferring PPP when `kind` says so. */
export function internetWan(map: NetworkMap, kind?: WanConnection["kind"]): WanConnection | null {
  const candidates = map.wan.filter((w) => (kind ? w.kind === kind : true));
  return candidates.find((w) => w.service === "internet") ?? (kind ? (candidates[0] ?? null) : null);
}

export function isNetworkMap(value: unknown): value is NetworkMap {
  return (
    typeof value === "object" &&
    value !== null &&
    Array.isArray((value as NetworkMap).networks) &&
    Array.isArray((value as NetworkMap).radios)
  );
}
