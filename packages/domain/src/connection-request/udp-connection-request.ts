import { createHmac, randomBytes } from "node:crypto";
import dgram from "node:dgram";
import { isIPv6 } from "node:net";

/**
 * TR-069 Annex G (from TR-111): a CPE behind NAT listens on UDPConnectionRequestAddress for an HTTP GET in
 * one datagram, signed with HMAC-SHA1 keyed by its ConnectionRequestPassword. UDP may be lost, so the same
 * message (same id) goes out several times.
 */
export function udpConnectionRequestMessage(
  address: string,
  credentials: { username: string; password: string },
  now: Date,
  random: () => string = () => randomBytes(8).toString("hex"),
): string {
  const ts = Math.floor(now.getTime() / 1000).toString();
  const id = random();
  const cn = random();
  const un = credentials.username;
  // G.2.2: the signature covers ts, id, un and cn concatenated, in that order.
  const sig = createHmac("sha1", credentials.password).update(`${ts}${id}${un}${cn}`).digest("hex");
  const query = new URLSearchParams({ ts, id, un, cn, sig });
  return `GET http://${address}?${query.toString()} HTTP/1.1\r\nHost: ${address}\r\n\r\n`;
}

export function parseUdpAddress(address: string): { host: string; port: number } | null {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(address);
  if (bracketed) return { host: bracketed[1]!, port: Number(bracketed[2] ?? 80) };
  const colon = address.lastIndexOf(":");
  if (colon === -1) return { host: address, port: 80 };
  if (address.indexOf(":") !== colon) return { host: address, port: 80 };
  const port = Number(address.slice(colon + 1));
  if (!Number.isInteger(port) || port < 1 || port > 65535) return null;
  return { host: address.slice(0, colon), port };
}

export async function sendUdpConnectionRequest(
  address: string,
  credentials: { username: string; password: string },
  now: Date,
  options: { repeats?: number; intervalMs?: number } = {},
): Promise<void> {
  const target = parseUdpAddress(address);
  if (!target) throw new Error(`not a host:port address: ${address}`);
  const message = Buffer.from(udpConnectionRequestMessage(address, credentials, now));
  const socket = dgram.createSocket(isIPv6(target.host) ? "udp6" : "udp4");
  try {
    const repeats = options.repeats ?? 3;
    for (let k = 0; k < repeats; k++) {
      await new Promise<void>((resolve, reject) =>
        socket.send(message, target.port, target.host, (error) => (error ? reject(error) : resolve())),
      );
      if (k < repeats - 1) await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 200));
    }
  } finally {
    socket.close();
  }
}
