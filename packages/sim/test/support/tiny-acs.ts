import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { type AcsMessage, type AcsRequest, type CpeMessage, decode, encode, type Inform } from "@beacon/cwmp";
import { type Algorithm, expectedResponse, parseAuthParams } from "./digest.ts";

/**
 * A tiny ACS for the simulator's tests: node:http plus the codec. It keeps session state by cookie, answers
 * the device's requests, sends whatever was queued for the device, and ends each session with 204.
 */

export interface TinyAcsAuth {
  readonly scheme: "digest" | "basic";
  readonly algorithm?: Algorithm;
  /** username -> password */
  readonly users: Record<string, string>;
  /** Nonces stop being accepted after this many uses; the next request gets 401 stale=true. */
  readonly nonceUses?: number;
}

export interface AcsSession {
  readonly cookie: string;
  inform?: Inform;
  namespace: string;
  /** cwmp:ID of each message the device sent ("" when absent). */
  readonly ids: string[];
  /** Everything the device posted after authenticating, Inform and empty POSTs included. */
  readonly received: CpeMessage[];
  /** The ACS requests sent in this session, in order. */
  readonly sent: AcsRequest[];
  /** The Authorization headers of authenticated requests. */
  readonly authorizations: string[];
  /** Whether a request after the Inform came without the session cookie. */
  cookieMissing: boolean;
  ended: boolean;
}

export interface TinyAcs {
  readonly url: string;
  readonly sessions: AcsSession[];
  /** HTTP statuses the ACS answered with, in order. */
  readonly statuses: number[];
  /** TCP connections accepted so far. */
  readonly connections: number;
  /** Requests (or raw XML bodies, for RPCs the codec cannot write) for the device's next session(s). */
  queue(serialNumber: string, ...requests: (AcsRequest | string)[]): void;
  /** Changes the accepted credentials (after the ACS rotated them on the device). */
  setUsers(users: Record<string, string>): void;
  sessionsOf(serialNumber: string): AcsSession[];
  close(): Promise<void>;
}

export async function startTinyAcs(options: { readonly auth?: TinyAcsAuth } = {}): Promise<TinyAcs> {
  const sessions: AcsSession[] = [];
  const byCookie = new Map<string, AcsSession>();
  const queues = new Map<string, (AcsRequest | string)[]>();
  const statuses: number[] = [];
  let users = options.auth?.users ?? {};
  const nonces = new Map<string, number>();

  const reply = (res: http.ServerResponse, status: number, body = "", headers: http.OutgoingHttpHeaders = {}) => {
    statuses.push(status);
    res.writeHead(status, { ...headers, ...(body ? { "content-type": 'text/xml; charset="utf-8"' } : {}) });
    res.end(body);
  };

  const challenge = (res: http.ServerResponse, stale = false) => {
    const auth = options.auth;
    if (!auth) return;
    if (auth.scheme === "basic") {
      reply(res, 401, "", { "www-authenticate": 'Basic realm="tiny-acs"' });
      return;
    }
    const nonce = randomBytes(12).toString("hex");
    nonces.set(nonce, 0);
    reply(res, 401, "", {
      "www-authenticate": `Digest realm="tiny-acs", qop="auth", nonce="${nonce}", algorithm=${auth.algorithm ?? "MD5"}${stale ? ", stale=true" : ""}`,
    });
  };

  /** "ok", or the 401 has been sent. */
  const authenticate = (req: http.IncomingMessage, res: http.ServerResponse): boolean => {
    const auth = options.auth;
    if (!auth) return true;
    const header = req.headers.authorization;
    if (!header) {
      challenge(res);
      return false;
    }
    if (auth.scheme === "basic") {
      const [user, password] = Buffer.from(header.replace(/^Basic /i, ""), "base64")
        .toString()
        .split(":");
      if (user === undefined || users[user] === undefined || users[user] !== password) {
        challenge(res);
        return false;
      }
      return true;
    }
    const p = parseAuthParams(header);
    const password = users[p.username ?? ""];
    const uses = nonces.get(p.nonce ?? "");
    if (password === undefined || uses === undefined) {
      challenge(res);
      return false;
    }
    const algorithm = auth.algorithm ?? "MD5";
    if (
      p.algorithm?.toUpperCase() !== algorithm ||
      p.response !== expectedResponse(algorithm, p, password, req.method ?? "")
    ) {
      challenge(res);
      return false;
    }
    if (Number.parseInt(p.nc ?? "0", 16) <= uses) {
      challenge(res); // replayed nonce count
      return false;
    }
    if (auth.nonceUses !== undefined && uses >= auth.nonceUses) {
      challenge(res, true);
      return false;
    }
    nonces.set(p.nonce ?? "", Number.parseInt(p.nc ?? "0", 16));
    return true;
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (!authenticate(req, res)) return;
      const authorization = req.headers.authorization;
      const decoded = decode(Buffer.concat(chunks), req.headers);
      if (!decoded.ok) {
        reply(res, 400, "");
        return;
      }
      const { message, namespace, header } = decoded.envelope;
      const cookieHeader = req.headers.cookie ?? "";
      const cookie = /beacon-acs-session=([^;]+)/.exec(cookieHeader)?.[1];
      let session = cookie ? byCookie.get(cookie) : undefined;
      const headers: http.OutgoingHttpHeaders = {};
      if (message.type === "Inform") {
        const fresh = randomBytes(8).toString("hex");
        session = {
          cookie: fresh,
          inform: message,
          namespace,
          ids: [],
          received: [],
          sent: [],
          authorizations: [],
          cookieMissing: false,
          ended: false,
        };
        sessions.push(session);
        byCookie.set(fresh, session);
        headers["set-cookie"] = `beacon-acs-session=${fresh}; Path=/; HttpOnly`;
      } else if (!session) {
        // Without the cookie we cannot tell which session this is: the last open one, flagged.
        session = [...sessions].reverse().find((s) => !s.ended);
        if (!session) {
          reply(res, 400, "");
          return;
        }
        session.cookieMissing = true;
      }
      session.ids.push(header.id ?? "");
      session.received.push(message);
      if (authorization) session.authorizations.push(authorization);
      const answerWith = (m: AcsMessage) =>
        reply(res, 200, encode(m, { namespace: session.namespace, ...(header.id ? { id: header.id } : {}) }), headers);

      switch (message.type) {
        case "Inform":
          answerWith({ type: "InformResponse" });
          return;
        case "TransferComplete":
          answerWith({ type: "TransferCompleteResponse" });
          return;
        case "DUStateChangeComplete":
          answerWith({ type: "DUStateChangeCompleteResponse" });
          return;
        default: {
          const serial = session.inform?.deviceId.serialNumber ?? "";
          const next = queues.get(serial)?.shift();
          if (next === undefined) {
            session.ended = true;
            reply(res, 204, "", headers);
          } else if (typeof next === "string") {
            reply(res, 200, next, headers);
          } else {
            session.sent.push(next);
            reply(res, 200, encode(next, { namespace: session.namespace, id: `acs-${session.sent.length}` }), headers);
          }
        }
      }
    });
  });
  let connections = 0;
  server.on("connection", () => {
    connections++;
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/cwmp`,
    sessions,
    statuses,
    get connections() {
      return connections;
    },
    queue(serialNumber, ...requests) {
      queues.set(serialNumber, [...(queues.get(serialNumber) ?? []), ...requests]);
    },
    setUsers(next) {
      users = next;
    },
    sessionsOf: (serialNumber) => sessions.filter((s) => s.inform?.deviceId.serialNumber === serialNumber),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The ACS's answers of one type from a session, e.g. every GetParameterValuesResponse. */
export function answersOf<T extends CpeMessage["type"]>(
  session: AcsSession,
  type: T,
): Extract<CpeMessage, { type: T }>[] {
  return session.received.filter((m): m is Extract<CpeMessage, { type: T }> => m.type === type);
}
