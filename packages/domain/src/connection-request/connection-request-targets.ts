import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";
import { networkInterfaces } from "node:os";
import { Invalid } from "../errors.ts";

/**
 * Where Beacon may send a connection request. The ConnectionRequestURL comes from the CPE, so a CPE could make
 * Beacon call its own host (127.0.0.1:3000), a cloud metadata service (169.254.169.254) or any internal port, and
 * read the wake outcome as a port scanner. Refused by default: loopback, unspecified, link-local, multicast and
 * broadcast addresses, and Beacon's own ports on this host's addresses. Private ranges (10/8, 172.16/12,
 * 192.168/16, 100.64/10, fc00::/7) are where CPEs live, so they stay allowed. BEACON_CONNECTION_REQUEST_DENY
 * refuses more; BEACON_CONNECTION_REQUEST_ALLOW lifts a default (tests and labs: "loopback").
 */
export interface ConnectionRequestTargets {
  readonly allow: BlockList;
  readonly deny: BlockList;
  /** Beacon's own ports (console, CWMP, its database): refused on this host's own addresses. */
  readonly ownPorts: ReadonlySet<number>;
  /** The entries as configured, for messages. */
  readonly description: { allow: readonly string[]; deny: readonly string[] };
}

const REFUSED_BY_DEFAULT = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  REFUSED_BY_DEFAULT.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["fe80::", 10],
  ["ff00::", 8],
] as const) {
  REFUSED_BY_DEFAULT.addSubnet(network, prefix, "ipv6");
}

/** Names an entry of the ALLOW/DENY lists may use instead of a network. */
const NAMED: Record<string, readonly (readonly [string, number, "ipv4" | "ipv6"])[]> = {
  loopback: [
    ["127.0.0.0", 8, "ipv4"],
    ["::1", 128, "ipv6"],
  ],
  "link-local": [
    ["169.254.0.0", 16, "ipv4"],
    ["fe80::", 10, "ipv6"],
  ],
  private: [
    ["10.0.0.0", 8, "ipv4"],
    ["172.16.0.0", 12, "ipv4"],
    ["192.168.0.0", 16, "ipv4"],
    ["100.64.0.0", 10, "ipv4"],
    ["fc00::", 7, "ipv6"],
  ],
};

/**
 * Builds the policy from the settings. Entries are "loopback", "link-local", "private", an address or a network
 * in CIDR notation ("192.0.2.0/24", "fd00::/8"); a bad entry throws Invalid naming it.
 */
export function connectionRequestTargets(
  input: { allow?: readonly string[]; deny?: readonly string[]; ownPorts?: readonly number[] } = {},
): ConnectionRequestTargets {
  const allow = input.allow ?? [];
  const deny = input.deny ?? [];
  return {
    allow: blockListOf(allow, "BEACON_CONNECTION_REQUEST_ALLOW"),
    deny: blockListOf(deny, "BEACON_CONNECTION_REQUEST_DENY"),
    ownPorts: new Set(input.ownPorts ?? []),
    description: { allow, deny },
  };
}

function blockListOf(entries: readonly string[], setting: string): BlockList {
  const list = new BlockList();
  for (const raw of entries) {
    const entry = raw.trim().toLowerCase();
    const named = NAMED[entry];
    if (named) {
      for (const [network, prefix, family] of named) list.addSubnet(network, prefix, family);
      continue;
    }
    const [address = "", prefixText] = entry.split("/");
    const family = isIP(address);
    const prefix = prefixText === undefined ? (family === 6 ? 128 : 32) : Number(prefixText);
    if (
      family === 0 ||
      !Number.isInteger(prefix) ||
      prefix < 0 ||
      prefix > (family === 6 ? 128 : 32) ||
      (prefixText !== undefined && !/^\d+$/.test(prefixText))
    ) {
      throw new Invalid(
        `${setting}: "${raw}" is not an address, a network such as 192.0.2.0/24, or one of loopback, link-local, private`,
      );
    }
    list.addSubnet(address, prefix, family === 6 ? "ipv6" : "ipv4");
  }
  return list;
}

/** The policy when nothing is configured. */
export const DEFAULT_CONNECTION_REQUEST_TARGETS = connectionRequestTargets();

/** "::ffff:127.0.0.1" is 127.0.0.1. */
function plainAddress(address: string): string {
  const unbracketed = address.replace(/^\[|\]$/g, "");
  return /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(unbracketed)?.[1] ?? unbracketed;
}

function familyOf(address: string): "ipv4" | "ipv6" {
  return isIP(address) === 6 ? "ipv6" : "ipv4";
}

function isThisHost(address: string): boolean {
  if (/^(127|0)\./.test(address) || address === "::1" || address === "::") return true;
  for (const list of Object.values(networkInterfaces())) {
    for (const info of list ?? []) if (plainAddress(info.address) === address) return true;
  }
  return false;
}

/** Why Beacon will not send a connection request to this address and port, or null when it may. */
export function targetRefusal(targets: ConnectionRequestTargets, rawAddress: string, port: number): string | null {
  const address = plainAddress(rawAddress);
  if (isIP(address) === 0) return `${rawAddress} is not an IP address`;
  const family = familyOf(address);
  if (targets.deny.check(address, family)) return `${address} is refused by BEACON_CONNECTION_REQUEST_DENY`;
  if (targets.ownPorts.has(port) && isThisHost(address)) {
    return `${address}:${port} is Beacon's own port on this host`;
  }
  if (targets.allow.check(address, family)) return null;
  if (REFUSED_BY_DEFAULT.check(address, family)) {
    return `${address} is a loopback, link-local, multicast or unspecified address, refused by default (allow it with BEACON_CONNECTION_REQUEST_ALLOW)`;
  }
  return null;
}

export type ResolvedTarget =
  | { ok: true; address: string }
  | { ok: false; outcome: "refused" | "unreachable"; detail: string };

/**
 * The address to connect to for a host the CPE named: an IP literal as is, a name resolved once here, so that
 * the address checked is the one connected to (no DNS rebinding between the check and the connection).
 */
export async function resolveTarget(
  targets: ConnectionRequestTargets,
  host: string,
  port: number,
): Promise<ResolvedTarget> {
  const literal = plainAddress(host);
  let address = literal;
  if (isIP(literal) === 0) {
    try {
      address = (await lookup(literal)).address;
    } catch (error) {
      const code = (error as { code?: string }).code ?? "error";
      return { ok: false, outcome: "unreachable", detail: `${host} does not resolve (${code})` };
    }
  }
  const refusal = targetRefusal(targets, address, port);
  if (!refusal) return { ok: true, address };
  return {
    ok: false,
    outcome: "refused",
    detail: literal === address ? refusal : `${host} resolves to ${address}: ${refusal}`,
  };
}

/** The port of a postgresql:// URL (5432 when it names none): one of Beacon's own ports. */
export function databaseUrlPort(url: string): number {
  try {
    return Number(new URL(url).port || 5432);
  } catch {
    return 5432;
  }
}
