import dgram from "node:dgram";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { SimulatedDevice } from "../device/simulated-device.ts";
import { type DigestAlgorithm, DigestVerifier, verifyBasic } from "../transport/http-auth.ts";
import { authorizationAsParsed, type HeaderParsing } from "./header-parsing.ts";
import { parseUdpConnectionRequest, validUdpSignature } from "./udp-message.ts";

/**
 * One listener for the connection requests of every simulated device in the process (TR-069 3.2.2):
 * HTTP at /cr/<serial> with the device's ConnectionRequestUsername/Password, and UDP (Annex G) on one port,
 * routed by the `un` field. A real device would listen on its own address; sharing one keeps tens of
 * thousands of devices to two sockets.
 */

export interface ConnectionRequestListenerOptions {
  /** Address to bind. Default "127.0.0.1". */
  readonly host?: string;
  /** HTTP port; default 0 (any free port). */
  readonly port?: number;
  /** UDP port; default 0 (any free port); false for no UDP listener. */
  readonly udpPort?: number | false;
  /** Host written into ConnectionRequestURL and UDPConnectionRequestAddress. Default `host`. */
  readonly advertisedHost?: string;
  /** Default "digest". "none" accepts any request (devices without credentials always do). */
  readonly auth?: "digest" | "basic" | "none";
  /** Offered in this order, one WWW-Authenticate header each. Default ["MD5"]. */
  readonly digestAlgorithms?: readonly DigestAlgorithm[];
  readonly realm?: string;
  /** Nonces older than this get a stale=true challenge. Default 300 s. */
  readonly nonceLifetimeMs?: number;
  /** UDP messages whose ts is further than this from now are stale and ignored. Default 300 s. */
  readonly udpMaxSkewSeconds?: number;
  /** How the device's HTTP server reads headers; default "any-case" (see header-parsing.ts). */
  readonly headerParsing?: HeaderParsing;
}

export interface ConnectionRequestStats {
  httpAccepted: number;
  httpChallenged: number;
  httpRejected: number;
  udpAccepted: number;
  udpIgnored: number;
}

export interface ConnectionRequestListener {
  readonly httpPort: number;
  readonly udpPort: number | undefined;
  /** http://<advertisedHost>:<port>/cr/<serial> */
  urlFor(serialNumber: string): string;
  /** "<advertisedHost>:<udpPort>", or undefined without UDP. */
  readonly udpAddress: string | undefined;
  /** Routes the device's requests and sets its ConnectionRequestURL and UDPConnectionRequestAddress. */
  register(device: SimulatedDevice): void;
  unregister(device: SimulatedDevice): void;
  readonly stats: Readonly<ConnectionRequestStats>;
  close(): Promise<void>;
}

const PATH_PREFIX = "/cr/";

export async function startConnectionRequestListener(
  options: ConnectionRequestListenerOptions = {},
): Promise<ConnectionRequestListener> {
  const host = options.host ?? "127.0.0.1";
  const advertised = options.advertisedHost ?? host;
  const auth = options.auth ?? "digest";
  const realm = options.realm ?? "beacon-sim";
  const verifier = new DigestVerifier({
    realm,
    algorithms: options.digestAlgorithms ?? ["MD5"],
    nonceLifetimeMs: options.nonceLifetimeMs ?? 300_000,
  });
  const maxSkew = options.udpMaxSkewSeconds ?? 300;
  const stats: ConnectionRequestStats = {
    httpAccepted: 0,
    httpChallenged: 0,
    httpRejected: 0,
    udpAccepted: 0,
    udpIgnored: 0,
  };
  const devices = new Map<string, SimulatedDevice>();
  /** UDP routing by ConnectionRequestUsername; rebuilt when a lookup misses (the ACS may rename). */
  let byUsername = new Map<string, SimulatedDevice[]>();
  const udpSeen = new Map<SimulatedDevice, { lastTs: number; ids: string[] }>();

  const server = http.createServer((req, res) => {
    const path = (req.url ?? "").split("?")[0] ?? "";
    const device = path.startsWith(PATH_PREFIX)
      ? devices.get(decodeURIComponent(path.slice(PATH_PREFIX.length)))
      : undefined;
    if (!device) {
      res.writeHead(404).end();
      return;
    }
    if (req.method !== "GET") {
      res.writeHead(405, { allow: "GET" }).end();
      return;
    }
    const { username, password } = device.connectionRequestCredentials();
    const authorization = authorizationAsParsed(req, options.headerParsing ?? "any-case");
    if (auth !== "none" && (username !== "" || password !== "")) {
      if (auth === "basic") {
        if (!verifyBasic(authorization, username, password)) {
          stats[authorization ? "httpRejected" : "httpChallenged"]++;
          res.writeHead(401, { "www-authenticate": `Basic realm="${realm}"` }).end();
          return;
        }
      } else {
        const verdict = verifier.verify(authorization, "GET", username, password);
        if (verdict !== "ok") {
          stats[authorization && verdict === "denied" ? "httpRejected" : "httpChallenged"]++;
          res.writeHead(401, { "www-authenticate": verifier.challenges(verdict === "stale") }).end();
          return;
        }
      }
    }
    const outcome = device.connectionRequest();
    if (outcome === "accepted") {
      stats.httpAccepted++;
      res.writeHead(200, { "content-length": "0" }).end();
    } else {
      res.writeHead(503, { "retry-after": "30" }).end();
    }
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const httpPort = (server.address() as AddressInfo).port;

  let socket: dgram.Socket | undefined;
  let udpPort: number | undefined;
  if (options.udpPort !== false) {
    const udp = dgram.createSocket(host.includes(":") ? "udp6" : "udp4");
    socket = udp;
    udp.on("message", (datagram) => {
      if (!handleDatagram(datagram.toString("utf8"))) stats.udpIgnored++;
    });
    await new Promise<void>((resolve, reject) => {
      udp.once("error", reject);
      udp.bind(options.udpPort || 0, host, () => resolve());
    });
    udpPort = udp.address().port;
  }
  const udpAddress = udpPort === undefined ? undefined : `${hostForUrl(advertised)}:${udpPort}`;

  function candidates(un: string, rebuild: boolean): SimulatedDevice[] {
    if (rebuild) {
      byUsername = new Map();
      for (const d of devices.values()) {
        const name = d.connectionRequestCredentials().username;
        byUsername.set(name, [...(byUsername.get(name) ?? []), d]);
      }
    }
    return byUsername.get(un) ?? [];
  }

  /** TR-069 G.2.1.4: ignore malformed, badly signed, duplicate (same id) and stale (ts) messages. */
  function handleDatagram(text: string): boolean {
    const message = parseUdpConnectionRequest(text);
    if (!message) return false;
    if (Math.abs(Date.now() / 1000 - message.ts) > maxSkew) return false;
    const signedBy = (list: SimulatedDevice[]) =>
      list.find((d) => {
        const c = d.connectionRequestCredentials();
        return c.username === message.un && validUdpSignature(message, c.password);
      });
    const device = signedBy(candidates(message.un, false)) ?? signedBy(candidates(message.un, true));
    if (!device) return false;
    const seen = udpSeen.get(device) ?? { lastTs: 0, ids: [] };
    if (seen.ids.includes(message.id) || message.ts < seen.lastTs) return false;
    seen.lastTs = message.ts;
    seen.ids.push(message.id);
    if (seen.ids.length > 16) seen.ids.shift();
    udpSeen.set(device, seen);
    if (device.connectionRequest() !== "accepted") return false;
    stats.udpAccepted++;
    return true;
  }

  const urlFor = (serialNumber: string) =>
    `http://${hostForUrl(advertised)}:${httpPort}${PATH_PREFIX}${encodeURIComponent(serialNumber)}`;

  return {
    httpPort,
    udpPort,
    udpAddress,
    urlFor,
    stats,
    register(device) {
      devices.set(device.serialNumber, device);
      device.setConnectionRequestAddress({
        url: urlFor(device.serialNumber),
        ...(udpAddress ? { udpAddress } : {}),
      });
      const name = device.connectionRequestCredentials().username;
      byUsername.set(name, [...(byUsername.get(name) ?? []), device]);
    },
    unregister(device) {
      if (devices.get(device.serialNumber) === device) devices.delete(device.serialNumber);
      udpSeen.delete(device);
      for (const [name, list] of byUsername) {
        const kept = list.filter((d) => d !== device);
        if (kept.length > 0) byUsername.set(name, kept);
        else byUsername.delete(name);
      }
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      const udp = socket;
      if (udp) await new Promise<void>((resolve) => udp.close(() => resolve()));
    },
  };
}

function hostForUrl(host: string): string {
  return host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
}
