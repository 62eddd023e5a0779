import http from "node:http";
import type { AddressInfo } from "node:net";
import { DigestVerifier } from "@beacon/sim";
import { runCpeSession } from "../cpe-session.ts";
import {
  CWMP_NAMESPACE,
  connectionRequestCredentialsOf,
  cwmpCredentialsOf,
  type Population,
} from "../fleet-identity.ts";
import { answerRequest, informOf } from "./cpe-behaviour.ts";
import type { ConnectionRequestRun } from "./jobs.ts";
import { round } from "./session-runs.ts";
import { SessionTally } from "./session-tally.ts";

/**
 * Scenario C, the devices' side: one HTTP listener for the connection requests of every benchmark device
 * (TR-069 3.2.2, Digest with the credentials seeded for the device at /cr/<serial>); each accepted request
 * opens a session with "6 CONNECTION REQUEST", in which the device answers its pending task.
 */

const REALM = "beacon-bench";
const PATH = /^\/cr\/([A-Za-z0-9_-]+)$/;
const TIMEOUT_MS = 30_000;

export interface ConnectionRequestJob {
  readonly target: URL;
  readonly population: Population;
  readonly concurrency: number;
  readonly expectedSessions: number;
  readonly timeoutMs: number;
  readonly agent?: http.Agent;
}

export interface ConnectionRequestListener {
  readonly baseUrl: string;
  /** Serves the job's devices until the expected sessions are over or the timeout passes. */
  serve(job: ConnectionRequestJob): Promise<ConnectionRequestRun>;
  close(): Promise<void>;
}

export async function startConnectionRequestListener(): Promise<ConnectionRequestListener> {
  const verifier = new DigestVerifier({ realm: REALM, algorithms: ["MD5"], nonceLifetimeMs: 300_000 });
  let onRequest: ((serialNumber: string) => void) | undefined;

  const server = http.createServer((request, response) => {
    const serialNumber = PATH.exec(request.url ?? "")?.[1];
    if (!serialNumber || request.method !== "GET") return void response.writeHead(404).end();
    if (!onRequest) return void response.writeHead(503).end();
    const { username, password } = connectionRequestCredentialsOf(serialNumber);
    const verdict = verifier.verify(request.headers.authorization, "GET", username, password);
    if (verdict !== "ok") {
      response.writeHead(401, { "www-authenticate": verifier.challenges(verdict === "stale") }).end();
      return;
    }
    response.writeHead(200).end();
    onRequest(serialNumber);
  });
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const serve = (job: ConnectionRequestJob): Promise<ConnectionRequestRun> =>
    new Promise((resolve) => {
      const tally = new SessionTally();
      const byRpc: Record<string, number> = {};
      const queue: string[] = [];
      let connectionRequests = 0;
      let tasksAnswered = 0;
      let sessionsWithoutTask = 0;
      let inFlight = 0;
      let firstAt: number | undefined;
      let lastEndAt = performance.now();
      let finished = false;

      const finish = (timedOut: boolean) => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        onRequest = undefined;
        const seconds = firstAt === undefined ? 0 : (lastEndAt - firstAt) / 1000;
        resolve({
          connectionRequests,
          sessions: tally.sessions,
          tasksAnswered,
          sessionsWithoutTask,
          byRpc,
          errors: tally.errors,
          failures: tally.failures,
          seconds: round(seconds),
          httpRequests: tally.httpRequests,
          latencyMs: tally.latency.summary(),
          timedOut,
          sampleErrors: tally.sampleErrors,
        });
      };
      const timer = setTimeout(() => finish(true), job.timeoutMs);

      const pump = () => {
        while (inFlight < job.concurrency && queue.length > 0) {
          const serialNumber = queue.shift()!;
          inFlight++;
          void session(serialNumber).finally(() => {
            inFlight--;
            pump();
          });
        }
      };

      const session = async (serialNumber: string) => {
        const index = Number(serialNumber.slice(job.population.prefix.length));
        const t0 = performance.now();
        const result = await runCpeSession({
          url: job.target,
          namespace: CWMP_NAMESPACE,
          inform: informOf(serialNumber, index, ["6 CONNECTION REQUEST"], baseUrl),
          credentials: cwmpCredentialsOf(serialNumber),
          answer: answerRequest,
          timeoutMs: TIMEOUT_MS,
          agent: job.agent,
        });
        lastEndAt = performance.now();
        tally.add(result, lastEndAt - t0);
        if (result.ok) {
          for (const request of result.acsRequests) byRpc[request.type] = (byRpc[request.type] ?? 0) + 1;
          if (result.acsRequests.length > 0) tasksAnswered++;
          else sessionsWithoutTask++;
          const reboot = result.acsRequests.find((r) => r.type === "Reboot");
          if (reboot?.type === "Reboot") {
            // Back from the reboot, the device says so (TR-069 3.7.1.5); Beacon ends the task only then.
            const events = ["1 BOOT", { eventCode: "M Reboot", commandKey: reboot.commandKey }];
            await runCpeSession({
              url: job.target,
              namespace: CWMP_NAMESPACE,
              inform: informOf(serialNumber, index, events, baseUrl),
              credentials: cwmpCredentialsOf(serialNumber),
              answer: answerRequest,
              timeoutMs: TIMEOUT_MS,
              agent: job.agent,
            });
            lastEndAt = performance.now();
          }
        }
        if (tally.sessions + tally.errors >= job.expectedSessions) finish(false);
      };

      onRequest = (serialNumber) => {
        if (!serialNumber.startsWith(job.population.prefix)) return;
        connectionRequests++;
        firstAt ??= performance.now();
        queue.push(serialNumber);
        pump();
      };
    });

  return {
    baseUrl,
    serve,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
