import { encodeRecord } from "@beacon/usp";
import WebSocket from "ws";
import type { SimulatedUspAgent } from "./usp-agent.ts";

export interface WebSocketAgentOptions {
  /** ws:// or wss:// URL of the Controller's WebSocket MTP. */
  url: string;
  username?: string;
  password?: string;
  /** Trust this CA (PEM) for wss://. */
  ca?: string | Buffer;
  /** Send a WebSocketConnect Record once connected (TR-369 1.3). */
  connectRecord?: boolean;
}

/**
 * The agent's WebSocket MTP (TR-369 "WebSocket Binding"): subprotocol v1.usp, its endpoint id in the
 * bbf-usp-protocol extension, binary frames carrying one Record each. Resolves once connected; rejects with the
 * server's HTTP status when the upgrade is refused.
 */
export interface WebSocketAgentConnection {
  /** The connection now (a reboot opens a new one). */
  readonly socket: WebSocket;
  close(code?: number): void;
}

export async function connectWebSocketAgent(
  agent: SimulatedUspAgent,
  options: WebSocketAgentOptions,
): Promise<WebSocketAgentConnection> {
  const open = (): Promise<WebSocket> =>
    new Promise((resolve, reject) => {
      const headers: Record<string, string> = {
        "Sec-WebSocket-Extensions": `bbf-usp-protocol; eid="${agent.endpointId}"`,
      };
      if (options.username !== undefined) {
        headers.Authorization = `Basic ${Buffer.from(`${options.username}:${options.password ?? ""}`).toString("base64")}`;
      }
      const socket = new WebSocket(options.url, "v1.usp", { headers, ca: options.ca, perMessageDeflate: false });
      socket.binaryType = "nodebuffer";
      socket.once("unexpected-response", (_request, response) => {
        reject(new Error(`WebSocket upgrade refused: HTTP ${response.statusCode}`));
        response.resume();
      });
      socket.once("error", reject);
      socket.once("open", () => {
        socket.off("error", reject);
        socket.on("error", () => {});
        socket.on("message", (data: Buffer, isBinary: boolean) => {
          if (isBinary) agent.receive(new Uint8Array(data));
        });
        socket.on("close", () => {
          if (current === socket) agent.attach(null);
        });
        resolve(socket);
      });
    });
  let current = await open();
  const link = {
    send: (record: Uint8Array) => {
      if (current.readyState === WebSocket.OPEN) current.send(record, { binary: true });
    },
    reconnect: async () => {
      const old = current;
      current = await open();
      old.close(1000);
      agent.attach(link);
    },
  };
  agent.attach(link);
  if (options.connectRecord ?? true) {
    current.send(
      encodeRecord({
        version: agent.options.version,
        toId: agent.options.controllerId,
        fromId: agent.endpointId,
        kind: "websocketConnect",
      }),
    );
  }
  return {
    get socket() {
      return current;
    },
    close: (code = 1000) => current.close(code),
  };
}
