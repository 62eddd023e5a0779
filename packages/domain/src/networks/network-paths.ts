import {
  BAND_LABEL,
  type Band,
  internetWan,
  type NetworkInfo,
  type NetworkMap,
  type WanConnection,
} from "./network-map.ts";

/**
 * Mapping paths by meaning: "{wifi.5g}.SSID" is the SSID parameter of the device's main 5 GHz network, whatever
 * its instance number; "{wifi.5g.accessPoint}.Security.KeyPassphrase" and "{wifi.5g.radio}.Channel" the objects
 * serving it; "{wifi.guest}.SSID" every guest network; "{wan.ppp}.Username" the PPP connection carrying Internet,
 * "{wan}" the Internet connection of any kind, "{wan.device}" its TR-098 WANConnectionDevice. The network map
 * (network-map.ts) says which object each one is.
 */

export const WIFI_SELECTORS = ["2g", "5g", "6g", "guest"] as const;
export type WifiSelector = (typeof WIFI_SELECTORS)[number];
export type WifiObject = "network" | "radio" | "accessPoint";

export type Placeholder =
  | { kind: "wifi"; selector: WifiSelector; object: WifiObject; rest: string }
  | { kind: "wan"; which: "any" | "ppp" | "ip" | "device"; rest: string };

const PLACEHOLDER = /^\{(wifi\.(2g|5g|6g|guest)(?:\.(radio|accessPoint))?|wan(?:\.(ppp|ip|device))?)\}\.(.+)$/;

export function isPlaceholderPath(path: string): boolean {
  return path.startsWith("{");
}

export function parsePlaceholder(path: string): Placeholder | null {
  const m = PLACEHOLDER.exec(path);
  if (!m) return null;
  const rest = m[5]!;
  if (m[1]!.startsWith("wifi")) {
    return {
      kind: "wifi",
      selector: m[2] as WifiSelector,
      object: (m[3] as WifiObject | undefined) ?? "network",
      rest,
    };
  }
  return { kind: "wan", which: (m[4] as "ppp" | "ip" | "device" | undefined) ?? "any", rest };
}

const SELECTOR_BAND: Record<Exclude<WifiSelector, "guest">, Band> = { "2g": "2.4GHz", "5g": "5GHz", "6g": "6GHz" };

export function selectorLabel(selector: WifiSelector): string {
  return selector === "guest" ? "guest" : `${BAND_LABEL[SELECTOR_BAND[selector]]} main`;
}

/** The networks a selector stands for: the band's main network, or every guest network. */
export function networksOf(map: NetworkMap, selector: WifiSelector): NetworkInfo[] {
  if (selector === "guest") return map.networks.filter((n) => n.role === "guest");
  const main = map.networks.find((n) => n.role === "main" && n.band === SELECTOR_BAND[selector]);
  return main ? [main] : [];
}

/** The selector a network answers to, if any (main networks by band, guest networks). */
export function selectorOf(network: NetworkInfo): WifiSelector | null {
  if (network.role === "guest") return "guest";
  if (network.role !== "main" || network.band === "unknown") return null;
  return network.band === "2.4GHz" ? "2g" : network.band === "5GHz" ? "5g" : "6g";
}

/** A wifi placeholder path put on one network's objects; null when the network lacks that object. */
export function pathOnNetwork(placeholder: Placeholder & { kind: "wifi" }, network: NetworkInfo): string | null {
  const base =
    placeholder.object === "radio"
      ? network.radio
      : placeholder.object === "accessPoint"
        ? network.accessPoint
        : network.path;
  return base ? `${base}${placeholder.rest}` : null;
}

export type PathResolution =
  | { ok: true; paths: string[] }
  /** unknownMap: the device's networks have not been read yet; the setting can be resolved once they are. */
  | { ok: false; reason: string; unknownMap: boolean };

export const NETWORKS_UNKNOWN =
  "the device's networks are not known yet: Beacon reads them in its next session and applies this then";

function wanOf(map: NetworkMap, which: "any" | "ppp" | "ip" | "device"): WanConnection | null {
  if (which === "ppp") return internetWan(map, "ppp");
  if (which === "ip") return internetWan(map, "ip");
  return internetWan(map);
}

/** The full paths a mapping path stands for on this device. */
export function resolveMappingPath(path: string, map: NetworkMap | null): PathResolution {
  if (!isPlaceholderPath(path)) return { ok: true, paths: [path] };
  const placeholder = parsePlaceholder(path);
  if (!placeholder) return { ok: false, reason: `${path} is not a path Beacon can resolve`, unknownMap: false };
  if (!map) return { ok: false, reason: NETWORKS_UNKNOWN, unknownMap: true };
  if (placeholder.kind === "wan") {
    const wan = wanOf(map, placeholder.which);
    if (!wan) {
      const what = placeholder.which === "ppp" ? "PPP connection" : "connection carrying Internet";
      return { ok: false, reason: `this device has no WAN ${what}`, unknownMap: false };
    }
    if (placeholder.which === "device") {
      return wan.device
        ? { ok: true, paths: [`${wan.device}${placeholder.rest}`] }
        : { ok: false, reason: "this device's WAN connection has no connection device", unknownMap: false };
    }
    return { ok: true, paths: [`${wan.path}${placeholder.rest}`] };
  }
  const networks = networksOf(map, placeholder.selector);
  if (networks.length === 0) {
    const what =
      placeholder.selector === "guest"
        ? "no guest network"
        : `no ${BAND_LABEL[SELECTOR_BAND[placeholder.selector]]} network Beacon recognises`;
    return { ok: false, reason: `this device has ${what}`, unknownMap: false };
  }
  const paths: string[] = [];
  for (const network of networks) {
    const p = pathOnNetwork(placeholder, network);
    if (!p) {
      return {
        ok: false,
        reason: `${network.path.replace(/\.$/, "")} has no ${placeholder.object === "radio" ? "radio" : "access point"} Beacon recognises`,
        unknownMap: false,
      };
    }
    paths.push(p);
  }
  return { ok: true, paths };
}
