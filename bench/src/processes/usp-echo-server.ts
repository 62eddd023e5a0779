import { createServer } from "node:http";
import { WebSocketServer } from "ws";

/**
 * The USP baseline: a bare WebSocket server that sends every binary frame back, with the same subprotocol and
 * none of Beacon's work (no protobuf, no database). bench:usp runs the same round trips against it, so the USP
 * controller's rate can be stated as a share of the bare WebSocket round trip on this machine.
 *
 * Usage: node --import tsx bench/src/processes/usp-echo-server.ts <port>
 */
const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port < 1) {
  process.stderr.write("usage: usp-echo-server.ts <port>\n");
  process.exit(1);
}
const server = createServer((request, response) => {
  response.writeHead(request.url === "/healthz" ? 200 : 426).end();
});
const wss = new WebSocketServer({ server, perMessageDeflate: false, handleProtocols: () => "v1.usp" });
wss.on("connection", (socket) => socket.on("message", (data, isBinary) => socket.send(data, { binary: isBinary })));
server.listen(port, "127.0.0.1");
process.once("SIGTERM", () => {
  wss.close();
  server.close(() => process.exit(0));
});
