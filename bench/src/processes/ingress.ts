import { mkdirSync } from "node:fs";
import { join, relative } from "node:path";
import { buildIngressBundle } from "@beacon/cli/build";
import { freePort } from "@beacon/db/embedded";
import { BOOTSTRAP } from "../fleet-identity.ts";
import { type ServerProcess, startServerProcess } from "./server-process.ts";

/**
 * The ingress the way production runs it: `node --import tsx apps/ingress/src/server.ts`, configured through
 * its environment only. The settings below are its defaults except the bootstrap credential and the address.
 */

export interface IngressOptions {
  repoRoot: string;
  workDir: string;
  databaseUrl: string;
  /** Write a V8 CPU profile (node --cpu-prof) into this folder when the ingress exits. */
  cpuProfileDir?: string;
  /** Run the bundle `beacon start` runs (buildIngressBundle) instead of the sources through tsx. */
  bundle?: boolean;
}

export function ingressEnvironment(databaseUrl: string, port: number, dataDir: string): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    CWMP_PORT: String(port),
    CWMP_HOST: "127.0.0.1",
    LOG_LEVEL: "info",
    BEACON_CWMP_ADMISSION: "bootstrap",
    BEACON_CWMP_BOOTSTRAP_USERNAME: BOOTSTRAP.username,
    BEACON_CWMP_BOOTSTRAP_PASSWORD: BOOTSTRAP.password,
    BEACON_DATA_DIR: dataDir,
    // The scenarios measure the Inform path and tasks. Reading metrics at an Inform (on by default) adds, per
    // session where a metric is due, one GetParameterValues exchange, and on a device's first such session a read
    // of its whole tree: measured apart (bench/README.md), not mixed into B's steady state.
    BEACON_CWMP_COLLECT_METRICS: "false",
  };
}

export async function startIngress(
  options: IngressOptions,
): Promise<ServerProcess & { env: Record<string, string>; command: string }> {
  const port = await freePort();
  const dataDir = join(options.workDir, "ingress-data");
  mkdirSync(dataDir, { recursive: true });
  const env = ingressEnvironment(options.databaseUrl, port, dataDir);
  const profile = options.cpuProfileDir ? ["--cpu-prof", `--cpu-prof-dir=${options.cpuProfileDir}`] : [];
  const entry = options.bundle
    ? [relative(options.repoRoot, await buildIngressBundle(options.repoRoot))]
    : ["--import", "tsx", "apps/ingress/src/server.ts"];
  const server = await startServerProcess({
    name: "ingress",
    cwd: options.repoRoot,
    nodeArgs: [...profile, ...entry],
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
    url: `http://127.0.0.1:${port}/`,
    readyUrl: `http://127.0.0.1:${port}/healthz`,
    logFile: join(options.workDir, "ingress.log"),
  });
  const { DATABASE_URL: _, ...shown } = env;
  return Object.assign(server, { env: shown, command: ["node", ...profile, ...entry].join(" ") });
}

/**
 * Scenario E: `processes` ingress processes sharing one port (node:cluster, as `beacon start` runs them), under a
 * primary of their own (bench/src/processes/ingress-cluster.ts); measure it as a process tree.
 */
export async function startIngressCluster(
  options: IngressOptions & { processes: number },
): Promise<ServerProcess & { env: Record<string, string> }> {
  const port = await freePort();
  const dataDir = join(options.workDir, "ingress-data");
  mkdirSync(dataDir, { recursive: true });
  const env: Record<string, string> = {
    ...ingressEnvironment(options.databaseUrl, port, dataDir),
    BEACON_INGRESS_PROCESSES: String(options.processes),
    // What the workers run: the bundle `beacon start` runs, or (--ingress-tsx) the sources.
    ...(options.bundle ? { BENCH_INGRESS_BUNDLE: await buildIngressBundle(options.repoRoot) } : {}),
  };
  const server = await startServerProcess({
    name: `ingress x${options.processes}`,
    cwd: options.repoRoot,
    nodeArgs: ["--import", "tsx", "bench/src/processes/ingress-cluster.ts"],
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
    url: `http://127.0.0.1:${port}/`,
    readyUrl: `http://127.0.0.1:${port}/healthz`,
    logFile: join(options.workDir, `ingress-x${options.processes}.log`),
  });
  const { DATABASE_URL: _, ...shown } = env;
  return Object.assign(server, { env: shown });
}

/** The bare Fastify server of baseline-server.ts: the HTTP round trip without Beacon. */
export async function startBaseline(options: { repoRoot: string; workDir: string }): Promise<ServerProcess> {
  const port = await freePort();
  return startServerProcess({
    name: "baseline",
    cwd: options.repoRoot,
    nodeArgs: ["--import", "tsx", "bench/src/processes/baseline-server.ts", String(port)],
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" },
    url: `http://127.0.0.1:${port}/`,
    readyUrl: `http://127.0.0.1:${port}/healthz`,
    logFile: join(options.workDir, "baseline.log"),
  });
}
