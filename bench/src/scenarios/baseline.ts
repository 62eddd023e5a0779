import type { SessionRun } from "../driver/jobs.ts";
import type { Usage } from "../processes/resources.ts";
import { type BenchContext, type CpuCost, cpuCost, measure } from "./context.ts";

/**
 * The bare HTTP round trip on this machine: the driver runs the same periodic sessions as in scenario B
 * against baseline-server.ts (canned 401, InformResponse, 204), closed loop and at B's fixed rate.
 */

export interface BaselineResult {
  server: string;
  closed: SessionRun & { usage: Usage; cpuMsPerSession: CpuCost };
  fixedRate: SessionRun & { usage: Usage };
}

export async function runBaseline(context: BenchContext): Promise<BaselineResult> {
  const { plan, driver } = context;
  const population = { prefix: "Z", count: Math.max(plan.concurrency * 4, 10_000) };
  context.progress(`baseline: closed loop, ${plan.concurrency} in flight, ${plan.baseline.seconds} s`);
  const closed = await measure(context, () =>
    driver.run({
      kind: "sessions",
      target: context.baseline.url,
      population,
      load: { kind: "closed", concurrency: plan.concurrency, seconds: plan.baseline.seconds },
    }),
  );
  const rate = plan.steadyState.fixedRate;
  context.progress(`baseline: ${rate} sessions/s offered for ${plan.baseline.fixedRateSeconds} s`);
  const fixedRate = await measure(context, () =>
    driver.run({
      kind: "sessions",
      target: context.baseline.url,
      population,
      load: { kind: "open", rate, seconds: plan.baseline.fixedRateSeconds, maxInFlight: maxInFlight(plan.concurrency) },
    }),
  );
  return {
    server: "bench/src/processes/baseline-server.ts: Fastify, canned 401 / InformResponse / 204, no database",
    closed: {
      ...closed.result,
      usage: closed.usage,
      cpuMsPerSession: cpuCost(closed.usage, closed.result.sessions + closed.result.errors, "baseline"),
    },
    fixedRate: { ...fixedRate.result, usage: fixedRate.usage },
  };
}

/** Open-loop runs allow more in flight than closed-loop ones, so that a slow server shows as latency first. */
export function maxInFlight(concurrency: number): number {
  return concurrency * 8;
}
