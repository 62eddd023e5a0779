import { BlockList, isIP } from "node:net";

/** Why a webhook URL cannot be used, or null. */
export function webhookUrlProblem(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `${url} is not a URL`;
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") return "a webhook URL must start with https://";
  if (parsed.username || parsed.password) {
    return "a webhook URL must not carry a user name or password; deliveries are signed instead";
  }
  if (url.length > 2000) return "a webhook URL may be at most 2000 characters long";
  return null;
}

// Addresses a delivery must not reach unless the operator allows it: Beacon's own host and networks, and the
// cloud metadata services behind link-local addresses (RFC 6890 special-purpose ranges).
const PRIVATE = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  PRIVATE.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
] as const) {
  PRIVATE.addSubnet(network, prefix, "ipv6");
}

/** False for loopback, private, link-local, shared and multicast addresses (IPv4-mapped IPv6 included). */
export function isPublicAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return isPublicAddress(mapped);
  const family = isIP(address);
  if (family === 4) return !PRIVATE.check(address, "ipv4");
  if (family === 6) return !PRIVATE.check(address, "ipv6");
  return false;
}
