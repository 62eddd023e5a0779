import { Agent } from "node:http";
import { runBootStorm, verifyRotation } from "./boot-storm.ts";
import { startConnectionRequestListener } from "./connection-requests.ts";
import type { DriverJob, DriverReply, DriverRequest, Hello } from "./jobs.ts";
import { runClosedLoop, runOpenLoop } from "./session-runs.ts";

/**
 * The driver process: the simulated CPEs, in a process of their own so that their CPU is not the ingress's
 * and not the bench's. The bench sends jobs over the IPC channel (driver-client.ts) and gets one reply each.
 */

if (!process.send) {
  process.stderr.write("bench driver: start me with child_process.fork (bench/src/processes/driver-client.ts)\n");
  process.exit(1);
}

const listener = await startConnectionRequestListener();
/** --reuse-connections: one pool for every session; otherwise each session connects on its own, as CPEs do. */
const agent = process.argv.includes("--reuse-connections")
  ? new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY })
  : undefined;

async function run(job: DriverJob): Promise<unknown> {
  switch (job.kind) {
    case "hello":
      return { connectionRequestBaseUrl: listener.baseUrl, pid: process.pid } satisfies Hello;
    case "sessions": {
      const context = {
        target: new URL(job.target),
        population: job.population,
        startAt: job.startAt ?? 0,
        connectionRequestBaseUrl: listener.baseUrl,
        agent,
      };
      return job.load.kind === "closed" ? runClosedLoop(context, job.load) : runOpenLoop(context, job.load);
    }
    case "bootStorm":
      return runBootStorm({
        target: new URL(job.target),
        population: job.population,
        concurrency: job.concurrency,
        sample: job.sample,
        connectionRequestBaseUrl: listener.baseUrl,
        agent,
      });
    case "verifyRotation":
      return verifyRotation(new URL(job.target), job.prefix, job.devices, listener.baseUrl);
    case "connectionRequests":
      return listener.serve({
        target: new URL(job.target),
        population: job.population,
        concurrency: job.concurrency,
        expectedSessions: job.expectedSessions,
        timeoutMs: job.timeoutMs,
        agent,
      });
  }
}

process.on("message", (message: DriverRequest) => {
  run(message.job).then(
    (result) => process.send!({ id: message.id, ok: true, result } satisfies DriverReply),
    (error: unknown) =>
      process.send!({
        id: message.id,
        ok: false,
        error: (error as Error)?.stack ?? String(error),
      } satisfies DriverReply),
  );
});

process.on("disconnect", () => {
  void listener.close().finally(() => process.exit(0));
});
