import { createHmac, randomBytes } from "node:crypto";
import dgram from "node:dgram";
import { isIPv6 } from "node:net";
import {
  type ConnectionRequestTargets,
  DEFAULT_CONNECTION_REQUEST_TARGETS,
  resolveTarget,
} from "./connection-request-targets.ts";

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

/** Thrown when the policy refuses the address (loopback, link-local, Beacon's own port, ...). */
export class UdpTargetRefused extends Error {}

/** Sends the signed message, repeated; throws UdpTargetRefused or the socket's error. */
export async function sendUdpConnectionRequest(
  address: string,
  credentials: { username: string; password: string },
  now: Date,
  options: { repeats?: number; intervalMs?: number; targets?: ConnectionRequestTargets } = {},
): Promise<void> {
  const target = parseUdpAddress(address);
  if (!target) throw new Error(`not a host:port address: ${address}`);
  const resolved = await resolveTarget(options.targets ?? DEFAULT_CONNECTION_REQUEST_TARGETS, target.host, target.port);
  if (!resolved.ok) {
    if (resolved.outcome === "refused") throw new UdpTargetRefused(resolved.detail);
    throw new Error(resolved.detail);
  }
  const message = Buffer.from(udpConnectionRequestMessage(address, credentials, now));
  const socket = dgram.createSocket(isIPv6(resolved.address) ? "udp6" : "udp4");
  try {
    const repeats = options.repeats ?? 3;
    for (let k = 0; k < repeats; k++) {
      await new Promise<void>((resolve, reject) =>
        socket.send(message, target.port, resolved.address, (error) => (error ? reject(error) : resolve())),
      );
      if (k < repeats - 1) await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 200));
    }
  } finally {
    socket.close();
  }
}
