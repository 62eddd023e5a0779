import { chmodSync, mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDb } from "@beacon/db";
import { connectWebSocketAgent, SimulatedUspAgent } from "@beacon/sim";
import { decodeMsg, decodeRecord, encodeMsg, encodeRecord, msgKind, requestMsg } from "@beacon/usp";
import WebSocket from "ws";
import { removeDataDir, startBenchPostgres } from "./processes/postgres.ts";
import { startServerProcess } from "./processes/server-process.ts";

/**
 * bench:usp, the USP steady state: Notify round trips (a ValueChange with send_resp, stored, answered with
 * NotifyResp) and Get round trips (a getParameterValues task through the queue to the agent and back) per
 * second against the USP controller in a process of its own, each stated as a share of a bare WebSocket echo of
 * the same frames in the same run. Measures and reports; asserts nothing.
 *
 * Usage: npm run bench:usp [-- --agents 20 --seconds 10 --gets 20]
 */

const REPO_ROOT = join(import.meta.dirname, "..", "..");
const CONTROLLER_ID = "proto::beacon-bench";

function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

const agents = arg("agents", 20);
const seconds = arg("seconds", 10);
const getsPerAgent = arg("gets", 20);
const progress = (line: string) => process.stderr.write(`bench:usp: ${line}\n`);

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

function openSocket(url: string, eid: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, "v1.usp", {
      perMessageDeflate: false,
      headers: { "Sec-WebSocket-Extensions": `bbf-usp-protocol; eid="${eid}"` },
    });
    socket.binaryType = "nodebuffer";
    socket.once("open", () => resolve(socket));
    socket.once("error", reject);
  });
}

function notifyRecord(eid: string, n: number): Uint8Array {
  return encodeRecord({
    version: "1.3",
    toId: CONTROLLER_ID,
    fromId: eid,
    kind: "noSessionContext",
    payload: encodeMsg(
      requestMsg(`${eid}-${n}`, {
        case: "notify",
        value: {
          subscriptionId: "beacon-value-change",
          sendResp: true,
          notification: {
            case: "valueChange",
            value: { paramPath: "Device.DeviceInfo.UpTime", paramValue: String(n) },
          },
        },
      }),
    ),
  });
}

/** Each socket sends a frame, waits for the answer, and again, until the time is up; round trips per second. */
async function roundTrips(
  sockets: { socket: WebSocket; eid: string }[],
  ms: number,
  check?: (data: Buffer) => boolean,
) {
  const end = Date.now() + ms;
  let count = 0;
  await Promise.all(
    sockets.map(
      ({ socket, eid }) =>
        new Promise<void>((resolve) => {
          let n = 0;
          const send = () => socket.send(notifyRecord(eid, ++n), { binary: true });
          socket.on("message", (data: Buffer) => {
            if (check && !check(data)) return;
            count += 1;
            if (Date.now() < end) send();
            else resolve();
          });
          send();
        }),
    ),
  );
  return count / (ms / 1000);
}

async function main() {
  const workDir = mkdtempSync(join(tmpdir(), "beacon-bench-usp-"));
  chmodSync(workDir, 0o711);
  const stoppers: (() => Promise<unknown>)[] = [];
  try {
    progress(`${agents} agents, ${seconds} s per measure; working in ${workDir}`);
    const pg = await startBenchPostgres(join(workDir, "data"), { unsafeFast: true });
    stoppers.push(() => pg.stop());
    const uspPort = await freePort();
    const usp = await startServerProcess({
      name: "usp",
      cwd: REPO_ROOT,
      nodeArgs: ["--import", "tsx", join(REPO_ROOT, "apps", "usp", "src", "server.ts")],
      env: {
        ...process.env,
        DATABASE_URL: pg.url,
        USP_WS_PORT: String(uspPort),
        USP_WS_HOST: "127.0.0.1",
        USP_ENDPOINT_ID: CONTROLLER_ID,
        BEACON_CWMP_ADMISSION: "open",
        LOG_LEVEL: "warn",
      },
      url: `ws://127.0.0.1:${uspPort}/`,
      readyUrl: `http://127.0.0.1:${uspPort}/healthz`,
      logFile: join(workDir, "usp.log"),
    });
    stoppers.push(() => usp.stop());
    const echoPort = await freePort();
    const echo = await startServerProcess({
      name: "usp-echo",
      cwd: REPO_ROOT,
      nodeArgs: [
        "--import",
        "tsx",
        join(REPO_ROOT, "bench", "src", "processes", "usp-echo-server.ts"),
        String(echoPort),
      ],
      env: process.env,
      url: `ws://127.0.0.1:${echoPort}/`,
      readyUrl: `http://127.0.0.1:${echoPort}/healthz`,
      logFile: join(workDir, "echo.log"),
    });
    stoppers.push(() => echo.stop());
    const db = createDb(pg.url, { maxConnections: 4, applicationName: "beacon-bench-usp" });
    stoppers.push(() => db.$disconnect());

    // Agents boot (and are registered) through the simulator; Notify round trips then use raw sockets.
    const sims: SimulatedUspAgent[] = [];
    for (let i = 0; i < agents; i++) {
      const agent = new SimulatedUspAgent({
        endpointId: `os::00D09E-BENCH${i}`,
        controllerId: CONTROLLER_ID,
        commandMs: 1,
      });
      await connectWebSocketAgent(agent, { url: usp.url });
      agent.sendBoot();
      sims.push(agent);
    }
    for (;;) {
      const registered = await db.device.count({ where: { protocol: "usp", modelName: { not: null } } });
      if (registered >= agents) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    progress("agents registered");

    const isNotifyResp = (data: Buffer) => {
      const record = decodeRecord(new Uint8Array(data));
      return record.kind === "noSessionContext" && msgKind(decodeMsg(record.payload)) === "notifyResp";
    };
    const uspSockets = await Promise.all(
      Array.from({ length: agents }, async (_, i) => ({
        eid: `os::00D09E-BENCH${i}`,
        socket: await openSocket(usp.url, `os::00D09E-BENCH${i}`),
      })),
    );
    const notifyPerSecond = await roundTrips(uspSockets, seconds * 1000, isNotifyResp);
    for (const { socket } of uspSockets) socket.close();
    const echoSockets = await Promise.all(
      Array.from({ length: agents }, async (_, i) => ({
        eid: `os::00D09E-BENCH${i}`,
        socket: await openSocket(echo.url, `e${i}`),
      })),
    );
    const echoPerSecond = await roundTrips(echoSockets, seconds * 1000);
    for (const { socket } of echoSockets) socket.close();
    progress(`notify ${notifyPerSecond.toFixed(0)}/s, echo ${echoPerSecond.toFixed(0)}/s`);

    // The simulators' own connections were replaced by the raw ones above: connect them again for the Gets.
    for (const agent of sims) await connectWebSocketAgent(agent, { url: usp.url, connectRecord: false });
    const devices = await db.device.findMany({ where: { protocol: "usp" }, select: { id: true, tenantId: true } });
    const started = Date.now();
    await db.task.createMany({
      data: devices.flatMap((d) =>
        Array.from({ length: getsPerAgent }, () => ({
          tenantId: d.tenantId,
          deviceId: d.id,
          kind: "getParameterValues",
          args: { names: ["Device.DeviceInfo.UpTime"] },
        })),
      ),
    });
    const total = devices.length * getsPerAgent;
    for (;;) {
      const done = await db.task.count({ where: { state: { in: ["done", "fault"] } } });
      if (done >= total) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const getPerSecond = total / ((Date.now() - started) / 1000);
    const result = {
      schema: "beacon-bench-usp/1",
      agents,
      seconds,
      notifyRoundTripsPerSecond: Math.round(notifyPerSecond),
      getTaskRoundTripsPerSecond: Math.round(getPerSecond),
      bareWebSocketEchoPerSecond: Math.round(echoPerSecond),
      notifyShareOfEcho: Math.round((notifyPerSecond / echoPerSecond) * 1000) / 1000,
      getShareOfEcho: Math.round((getPerSecond / echoPerSecond) * 1000) / 1000,
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    for (const stop of stoppers.reverse()) await stop().catch(() => {});
    removeDataDir(workDir);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench:usp failed: ${(error as Error).stack ?? error}\n`);
    process.exit(1);
  },
);
