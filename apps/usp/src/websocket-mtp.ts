import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import type { Db } from "@beacon/db";
import { isEndpointId } from "@beacon/domain";
import { type WebSocket, WebSocketServer } from "ws";
import { authenticateAgent } from "./agent-auth.ts";
import type { AgentLink } from "./agent-links.ts";
import type { UspSettings } from "./config.ts";
import type { Logger } from "./log.ts";

/** TR-369 WebSocket binding: the subprotocol, and the extension carrying the agent's endpoint id. */
export const USP_SUBPROTOCOL = "v1.usp";
const EID = /(?:^|,)\s*bbf-usp-protocol\s*;\s*eid\s*=\s*"?([^",;\s]+)"?/i;

export interface AgentConnection {
  endpointId: string;
  link: AgentLink;
  socket: WebSocket;
}

/**
 * The WebSocket server agents connect to: checks the upgrade (subprotocol v1.usp, eid in the bbf-usp-protocol
 * extension, credentials) before accepting it, answers with Beacon's own eid, and hands each accepted connection
 * to `onConnection`. Refusals are plain HTTP answers an agent's log can show: 400, 401 with a Basic challenge, 403.
 */
export function attachWebSocketMtp(
  server: Server,
  options: {
    db: Db;
    settings: UspSettings;
    secure: boolean;
    log: Logger;
    onConnection: (connection: AgentConnection, principal: Awaited<ReturnType<typeof authenticateAgent>>) => void;
  },
): WebSocketServer {
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: options.settings.recordLimitBytes,
    perMessageDeflate: false,
    handleProtocols: (protocols) => (protocols.has(USP_SUBPROTOCOL) ? USP_SUBPROTOCOL : false),
  });
  server.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on("error", () => {});
    void (async () => {
      const protocols = String(request.headers["sec-websocket-protocol"] ?? "")
        .split(",")
        .map((p) => p.trim());
      if (!protocols.includes(USP_SUBPROTOCOL)) return refuse(socket, 400, "the WebSocket subprotocol must be v1.usp");
      options.log.debug("agent upgrade", { extensions: request.headers["sec-websocket-extensions"] });
      const eid = EID.exec(String(request.headers["sec-websocket-extensions"] ?? ""))?.[1];
      if (!eid || !isEndpointId(eid)) {
        return refuse(socket, 400, 'the bbf-usp-protocol extension must name the agent: bbf-usp-protocol; eid="..."');
      }
      const auth = await authenticateAgent(options.db, options.settings, request.headers.authorization, options.secure);
      if (!auth.ok) {
        options.log.warn("agent WebSocket refused", { endpointId: eid, reason: auth.reason });
        return refuse(socket, auth.status, auth.reason);
      }
      wss.handleUpgrade(request, socket, head, (ws) => {
        const link: AgentLink = {
          endpointId: eid,
          host: request.headers.host,
          send: (record) => {
            if (ws.readyState === ws.OPEN) ws.send(record, { binary: true });
          },
          close: (code, reason) => ws.close(code, reason),
        };
        options.onConnection({ endpointId: eid, link, socket: ws }, auth);
      });
    })().catch((error: unknown) => {
      options.log.error("WebSocket upgrade failed", { err: error });
      refuse(socket, 500, "internal error");
    });
  });
  return wss;
}

function refuse(socket: Duplex, status: number, reason: string) {
  const text =
    { 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 500: "Internal Server Error" }[status] ?? "Error";
  const challenge = status === 401 ? 'WWW-Authenticate: Basic realm="Beacon USP"\r\n' : "";
  const body = `${reason}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\n${challenge}Content-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
