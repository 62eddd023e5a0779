import cluster from "node:cluster";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Scenario E's ingress: BEACON_INGRESS_PROCESSES copies of the ingress (the bundle in BENCH_INGRESS_BUNDLE, else
 * apps/ingress/src/server.ts through tsx) as cluster workers sharing
 * the CWMP port, as `beacon start` runs them (node:cluster, connections handed round-robin by this primary). No
 * restarts: a worker that dies is an error of the run. SIGTERM stops the workers (they drain) and then this.
 */

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const processes = Number(process.env.BEACON_INGRESS_PROCESSES ?? "1");
let stopping = false;

const bundle = process.env.BENCH_INGRESS_BUNDLE;
cluster.setupPrimary(
  bundle
    ? { exec: bundle, execArgv: [], cwd: repoRoot }
    : { exec: join(repoRoot, "apps", "ingress", "src", "server.ts"), execArgv: ["--import", "tsx"], cwd: repoRoot },
);
for (let k = 0; k < processes; k++) cluster.fork();
cluster.on("exit", (worker, code, signal) => {
  if (!stopping) process.stderr.write(`ingress worker ${worker.process.pid} exited (${code ?? signal})\n`);
  if (Object.keys(cluster.workers ?? {}).length === 0 && stopping) process.exit(0);
});
process.on("SIGTERM", () => {
  stopping = true;
  const workers = Object.values(cluster.workers ?? {});
  if (workers.length === 0) process.exit(0);
  for (const worker of workers) worker?.process.kill("SIGTERM");
});
