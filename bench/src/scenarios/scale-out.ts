import { cpus } from "node:os";
import type { SessionRun } from "../driver/jobs.ts";
import { startIngressCluster } from "../processes/ingress.ts";
import type { Usage } from "../processes/resources.ts";
import { type BenchContext, type CpuCost, cpuCost, measure } from "./context.ts";
import { STEADY_PREFIX, seedSteadyFleet } from "./steady-state.ts";

/**
 * Scenario E, scale-out: B's closed loop against 1, 2 and 4 ingress processes sharing one port (node:cluster, as
 * `beacon start` runs BEACON_INGRESS_PROCESSES of them) and one PostgreSQL. Reports sessions/s per process count,
 * the scaling factor over one process, and how much of the machine PostgreSQL took (where it becomes the limit),
 * then the devices one core of each can serve at a 1-hour and a 24-hour inform interval (docs/scaling.md).
 */

export interface ScaleOutRun {
  processes: number;
  closed: SessionRun & { usage: Usage; cpuMsPerSession: CpuCost };
  /** Sessions/s over those of one process. */
  scaling: number;
  /** CPU cores PostgreSQL kept busy (its CPU seconds over the wall seconds), and its share of the machine. */
  postgresCores: number;
  postgresShareOfMachine: number;
  ingressCores: number;
}

export interface ScaleOutResult {
  devices: number;
  concurrency: number;
  secondsEach: number;
  runs: ScaleOutRun[];
  /**
   * Devices one core serves with each device informing once per interval, from the CPU each side spent per
   * session in the run with the most processes: cores x 1000 / (CPU ms per session) x interval seconds. Full
   * load, no headroom: docs/scaling.md takes 50 % of it.
   */
  devicesPerCore: {
    basedOn: number;
    ingress: { hourly: number; daily: number };
    postgres: { hourly: number; daily: number };
  };
  /** One sentence: where the limit is, from the runs. */
  finding: string;
}

const HOUR = 3600;
const DAY = 24 * HOUR;

export async function runScaleOut(context: BenchContext, fleetSeeded: boolean): Promise<ScaleOutResult> {
  const { plan, driver } = context;
  if (!fleetSeeded) await seedSteadyFleet(context);
  const population = { prefix: STEADY_PREFIX, count: plan.steadyState.devices };
  const runs: ScaleOutRun[] = [];
  let startAt = 0;
  for (const processes of plan.scaleOut.processes) {
    context.progress(`E: ${processes} ingress process${processes > 1 ? "es" : ""}, starting`);
    const cluster = await startIngressCluster({
      repoRoot: context.repoRoot,
      workDir: context.workDir,
      databaseUrl: context.pg.url,
      processes,
      bundle: plan.ingressBundle,
    });
    try {
      // Every worker listening, its JIT and pool warm: an unmeasured run first.
      await driver.run({
        kind: "sessions",
        target: cluster.url,
        population: { prefix: "W", count: 500 },
        load: { kind: "closed", concurrency: Math.min(plan.concurrency, 32), seconds: plan.mode === "quick" ? 1 : 3 },
      });
      context.progress(
        `E: ${processes} ingress processes, closed loop, ${plan.concurrency} in flight, ${plan.scaleOut.seconds} s`,
      );
      const measured = await measure(
        context,
        () =>
          driver.run({
            kind: "sessions",
            target: cluster.url,
            population,
            startAt,
            load: { kind: "closed", concurrency: plan.concurrency, seconds: plan.scaleOut.seconds },
          }),
        { name: "ingress", pid: cluster.pid, tree: true },
      );
      const run = measured.result;
      startAt += run.sessions + run.errors;
      const wall = Math.max(run.seconds, 0.001);
      const postgresCores = round((measured.usage.postgres?.cpuSeconds ?? 0) / wall);
      runs.push({
        processes,
        closed: { ...run, usage: measured.usage, cpuMsPerSession: cpuCost(measured.usage, run.sessions + run.errors) },
        scaling: runs[0] ? round(run.sessionsPerSecond / Math.max(runs[0].closed.sessionsPerSecond, 0.001)) : 1,
        postgresCores,
        postgresShareOfMachine: round(postgresCores / cpus().length),
        ingressCores: round((measured.usage.ingress?.cpuSeconds ?? 0) / wall),
      });
    } finally {
      await cluster.stop();
    }
  }
  const last = runs[runs.length - 1];
  const perCore = (ms: number, interval: number) => (ms > 0 ? Math.round((1000 / ms) * interval) : 0);
  const ingressMs = last?.closed.cpuMsPerSession.server ?? 0;
  const postgresMs = last?.closed.cpuMsPerSession.postgres ?? 0;
  return {
    devices: plan.steadyState.devices,
    concurrency: plan.concurrency,
    secondsEach: plan.scaleOut.seconds,
    runs,
    devicesPerCore: {
      basedOn: last?.processes ?? 0,
      ingress: { hourly: perCore(ingressMs, HOUR), daily: perCore(ingressMs, DAY) },
      postgres: { hourly: perCore(postgresMs, HOUR), daily: perCore(postgresMs, DAY) },
    },
    finding: finding(runs),
  };
}

function finding(runs: readonly ScaleOutRun[]): string {
  const cores = cpus().length;
  const parts = runs.map(
    (r) =>
      `${r.processes} process${r.processes > 1 ? "es" : ""}: ${r.closed.sessionsPerSecond} sessions/s (x${r.scaling}), PostgreSQL ${r.postgresCores} of ${cores} cores, ingress ${r.ingressCores}`,
  );
  const best = runs.reduce<ScaleOutRun | undefined>(
    (b, r) => (!b || r.closed.sessionsPerSecond > b.closed.sessionsPerSecond ? r : b),
    undefined,
  );
  const limit =
    best && best.postgresCores + best.ingressCores >= cores * 0.85
      ? `the machine's ${cores} cores are saturated at ${best.processes} processes (PostgreSQL ${Math.round(best.postgresShareOfMachine * 100)} % of them): more processes only share the same CPU`
      : "the cores are not saturated: the limit is elsewhere (latency of round trips, locks, the driver)";
  return `${parts.join("; ")}. ${limit}.`;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
