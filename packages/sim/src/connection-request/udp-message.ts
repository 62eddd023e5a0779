import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * TR-069 Annex G (UDP connection requests through NAT, the mechanism of TR-111 Part 2): an HTTP GET
 * request line sent in one UDP datagram, e.g.
 *   GET http://203.0.113.7:7547?ts=1700000000&id=1234&un=user&cn=XTGRWIPC6D3IPXS3&sig=<40 hex> HTTP/1.1
 * sig is HMAC-SHA1 with the ConnectionRequestPassword as key over ts, id, un and cn concatenated.
 */

export interface UdpConnectionRequest {
  /** Seconds since the epoch, when the ACS sent it. */
  readonly ts: number;
  readonly id: string;
  readonly un: string;
  readonly cn: string;
  readonly sig: string;
}

export function udpSignature(password: string, m: Omit<UdpConnectionRequest, "sig">): string {
  return createHmac("sha1", password).update(`${m.ts}${m.id}${m.un}${m.cn}`, "utf8").digest("hex");
}

/** The datagram an ACS sends (for tests and for ACS code that wants a reference). */
export function udpConnectionRequestMessage(
  address: string,
  fields: Omit<UdpConnectionRequest, "sig">,
  password: string,
): string {
  const query = new URLSearchParams({
    ts: String(fields.ts),
    id: fields.id,
    un: fields.un,
    cn: fields.cn,
    sig: udpSignature(password, fields),
  });
  return `GET http://${address}?${query} HTTP/1.1\r\nHost: ${address}\r\n\r\n`;
}

/** Reads a datagram; undefined when it is not a well-formed UDP connection request. */
export function parseUdpConnectionRequest(datagram: string): UdpConnectionRequest | undefined {
  const line = datagram.split(/\r?\n/, 1)[0] ?? "";
  const m = /^GET\s+(\S+)\s+HTTP\/1\.[01]\s*$/.exec(line);
  if (!m?.[1]) return undefined;
  const target = m[1];
  const q = target.indexOf("?");
  if (q === -1) return undefined;
  const params = new URLSearchParams(target.slice(q + 1));
  const ts = Number(params.get("ts"));
  const id = params.get("id");
  const un = params.get("un");
  const cn = params.get("cn");
  const sig = params.get("sig");
  if (!Number.isInteger(ts) || !id || un === null || !cn || !sig) return undefined;
  return { ts, id, un, cn, sig };
}

export function validUdpSignature(request: UdpConnectionRequest, password: string): boolean {
  const expected = Buffer.from(udpSignature(password, request), "utf8");
  const given = Buffer.from(request.sig.toLowerCase(), "utf8");
  return expected.length === given.length && timingSafeEqual(expected, given);
}
