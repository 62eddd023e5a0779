import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { Db } from "@beacon/db";
import {
  type AgentContact,
  createSessionHooks,
  createUspController,
  ensurePlatformTenant,
  taskIdOfMsgId,
  type UspController,
} from "@beacon/domain";
import type { Msg } from "@beacon/usp";
import { AgentLinks } from "./agent-links.ts";
import type { UspSettings } from "./config.ts";
import type { Logger } from "./log.ts";
import { connectMqttMtp, type MqttMtp } from "./mqtt-mtp.ts";
import { handleRecord, recordFor } from "./record-handler.ts";
import { attachWebSocketMtp } from "./websocket-mtp.ts";

export interface UspAppDeps {
  db: Db;
  settings: UspSettings;
  log: Logger;
  https?: { cert: Buffer; key: Buffer };
}

export interface UspApp {
  /** The WebSocket MTP's server (and /healthz); not listening yet. */
  server: Server;
  controller: UspController;
  links: AgentLinks;
  /** Connects to the MQTT broker when configured and starts sending queued tasks to reachable agents. */
  start(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The USP Controller process: the WebSocket server agents connect to, the MQTT client of the operator's broker,
 * and a loop that sends each reachable agent its queued tasks one at a time. The rules are in @beacon/domain
 * (usp-controller.ts); this only carries Records.
 */
export function buildUspApp(deps: UspAppDeps): UspApp {
  const { db, settings, log } = deps;
  const hooks = createSessionHooks(db, {
    // An agent's metrics are read by the monitoring scheduler's rounds, not at each of its (frequent) connects.
    collectMetrics: false,
    onError: (what, error) => log.warn(`USP hook (${what}) failed`, { err: error }),
  });
  let platformTenant: Promise<string> | undefined;
  const controller = createUspController(db, {
    endpointId: settings.endpointId,
    admission: { policy: settings.admission, allowlist: settings.allowlist },
    tenantIdForNewDevices: () => {
      platformTenant ??= ensurePlatformTenant(db).then(
        (t) => t.id,
        (error: unknown) => {
          platformTenant = undefined;
          throw error;
        },
      );
      return platformTenant;
    },
    hooks,
    fileServerUrl: (deviceId) => fileServerUrl(settings, links.forDevice(deviceId)?.host),
  });
  const links = new AgentLinks();
  let mqtt: MqttMtp | undefined;
  const chains = new Map<string, Promise<unknown>>();

  /** Work on one agent runs in order: its Msgs are handled as they came, and one task is claimed at a time. */
  const serially = (key: string, work: () => Promise<unknown>) => {
    const next = (chains.get(key) ?? Promise.resolve())
      .then(work)
      .catch((error: unknown) => log.error("USP work failed", { key, err: error }));
    chains.set(key, next);
    void next.finally(() => {
      if (chains.get(key) === next) chains.delete(key);
    });
    return next;
  };

  /** How to reach the device now: its WebSocket here, or the broker at the topic it gave; null when neither. */
  async function routeTo(deviceId: string): Promise<((msg: Msg) => void) | null> {
    const link = links.forDevice(deviceId);
    if (link) return (msg) => link.send(recordFor(settings.endpointId, link.endpointId, msg));
    const broker = mqtt;
    if (!broker) return null;
    const device = await db.device.findUnique({
      where: { id: deviceId },
      select: { uspEndpointId: true, uspMtp: true, uspReplyTopic: true },
    });
    const mtp = device?.uspMtp;
    if (!device?.uspEndpointId || !device.uspReplyTopic || (mtp !== "mqtt5" && mtp !== "mqtt3")) return null;
    const { uspEndpointId, uspReplyTopic } = device;
    return (msg) => broker.send(uspReplyTopic, mtp, recordFor(settings.endpointId, uspEndpointId, msg));
  }

  /** Sends the device's next task, if it is reachable, has one, and none is unanswered. */
  const pump = (deviceId: string) =>
    serially(`device:${deviceId}`, async () => {
      const send = await routeTo(deviceId);
      if (!send) return;
      const msg = await controller.nextRequest(deviceId);
      if (!msg) return;
      // The connection may have gone while the task was claimed: it then waits for the agent's next contact.
      const again = await routeTo(deviceId);
      if (!again) {
        const taskId = taskIdOfMsgId(msg.header?.msgId ?? "");
        if (taskId) await controller.unclaim(taskId);
        return;
      }
      again(msg);
    });

  const secure = Boolean(deps.https);
  const server = deps.https ? createHttpsServer({ cert: deps.https.cert, key: deps.https.key }) : createHttpServer();
  server.on("request", (request, response) => {
    if (request.url === "/healthz") {
      response
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify({ ok: true, agents: links.all().length }));
      return;
    }
    response
      .writeHead(426, { upgrade: "websocket", "content-type": "text/plain" })
      .end("USP agents connect here over WebSocket (subprotocol v1.usp)\n");
  });

  const wss = attachWebSocketMtp(server, {
    db,
    settings,
    secure,
    log,
    onConnection: ({ endpointId, link, socket }, auth) => {
      if (!auth.ok) return;
      const replaced = links.add(link);
      // TR-369: one WebSocket per pair of endpoints; the newer wins.
      replaced?.close(1000, "replaced by a newer connection of the same endpoint");
      log.info("agent connected over WebSocket", { endpointId });
      const contact = (fromId: string): AgentContact => ({
        endpointId: fromId,
        mtp: "websocket",
        principal: auth.principal,
      });
      void serially(`endpoint:${endpointId}`, async () => {
        const device = await db.device.findUnique({ where: { uspEndpointId: endpointId }, select: { id: true } });
        if (device) {
          links.bindDevice(endpointId, device.id);
          await controller.agentReturned(device.id);
          void pump(device.id);
        }
      });
      socket.on("message", (data: Buffer, isBinary: boolean) => {
        if (!isBinary) {
          log.warn("text frame from an agent; closing", { endpointId });
          socket.close(1003, "USP Records travel in binary frames");
          return;
        }
        void serially(`endpoint:${endpointId}`, async () => {
          const verdict = await handleRecord(new Uint8Array(data), {
            controllerId: settings.endpointId,
            recordLimitBytes: settings.recordLimitBytes,
            controller,
            log,
            endpointId,
            contact,
            send: link.send,
          });
          if (verdict.kind === "bad") socket.close(1003, "unreadable USP Record");
          else if (verdict.kind === "disconnect") socket.close(1000, "agent disconnected");
          else if (verdict.kind === "handled" && verdict.rejected) socket.close(1008, "admission refused");
          else if (verdict.kind === "handled" && verdict.deviceId) {
            links.bindDevice(endpointId, verdict.deviceId);
            void pump(verdict.deviceId);
          }
        });
      });
      socket.on("close", () => {
        links.remove(link);
        log.info("agent WebSocket closed", { endpointId });
      });
      socket.on("error", (error) => log.warn("agent WebSocket error", { endpointId, err: error }));
    },
  });

  let timer: NodeJS.Timeout | undefined;
  let sweeping = 0;
  const poll = async () => {
    const due = await controller.devicesWithDueTasks(links.connectedDevices());
    for (const deviceId of due) if (!chains.has(`device:${deviceId}`)) void pump(deviceId);
    if (++sweeping % 30 === 0) await controller.sweep();
  };

  return {
    server,
    controller,
    links,
    async start() {
      if (settings.mqtt) {
        const m = settings.mqtt;
        mqtt = await connectMqttMtp({
          url: m.url,
          topic: m.topic,
          endpointId: settings.endpointId,
          username: m.username,
          password: m.password,
          recordLimitBytes: settings.recordLimitBytes,
          log,
          onRecord: ({ bytes, replyTopic, version }) => {
            void serially(`mqtt:${replyTopic}`, async () => {
              const verdict = await handleRecord(bytes, {
                controllerId: settings.endpointId,
                recordLimitBytes: settings.recordLimitBytes,
                controller,
                log,
                // The broker admitted the agent with its MQTT credentials; Beacon applies its policy on top.
                contact: (fromId) => ({
                  endpointId: fromId,
                  mtp: version,
                  replyTopic,
                  principal: { kind: "bootstrap" },
                }),
                send: (record) => mqtt?.send(replyTopic, version, record),
              });
              if (verdict.kind === "handled" && verdict.deviceId) void pump(verdict.deviceId);
            });
          },
        });
        log.info("connected to the MQTT broker", { topic: m.topic });
      }
      const tick = () => {
        timer = setTimeout(() => {
          poll()
            .catch((error: unknown) => log.warn("USP task round failed", { err: error }))
            .finally(() => {
              if (timer) tick();
            });
        }, settings.pollMs);
      };
      tick();
    },
    async close() {
      clearTimeout(timer);
      timer = undefined;
      for (const link of links.all()) link.close(1001, "Beacon is stopping");
      wss.close();
      await mqtt?.close();
      await Promise.allSettled([...chains.values()]);
      await hooks.drain();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Beacon's file server as an agent reaches it: the public URL, or the host it connected to on the CWMP port. */
export function fileServerUrl(settings: UspSettings, agentHost: string | undefined): string | null {
  const server = settings.fileServer;
  if (!server) return null;
  if (server.publicUrl) return server.publicUrl;
  if (!agentHost) return null;
  let hostname: string;
  try {
    hostname = new URL(`http://${agentHost}`).hostname;
  } catch {
    return null;
  }
  return `${server.tls ? "https" : "http"}://${hostname}:${server.port}`;
}
