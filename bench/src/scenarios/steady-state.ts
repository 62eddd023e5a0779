import type { SessionRun } from "../driver/jobs.ts";
import { updateCounts, updateDelta } from "../processes/postgres.ts";
import type { Usage } from "../processes/resources.ts";
import { seedRegisteredDevices } from "../seed.ts";
import { maxInFlight } from "./baseline.ts";
import { type BenchContext, type CpuCost, cpuCost, type Measured, measure, perUnit } from "./context.ts";

/**
 * Scenario B, steady state: a fleet of registered devices (seeded in PostgreSQL with known credentials and
 * the parameters their Informs carry) sends periodic Informs. Closed loop for the most sessions per second,
 * then an open loop at a fixed offered rate for the latency a fleet of that rate sees.
 */

export interface SteadyStateResult {
  devices: number;
  seedSeconds: number;
  closed: SessionRun & {
    concurrency: number;
    usage: Usage;
    window: Measured<unknown>["window"];
    cpuMsPerSession: CpuCost;
    database: Measured<unknown>["database"] & {
      statementsPerSession: number;
      transactionsPerSession: number;
      /** Row updates per table over the closed loop and how many were HOT (n_tup_hot_upd). */
      hotUpdates: ReturnType<typeof updateDelta>;
    };
  };
  fixedRate: SessionRun & { usage: Usage; cpuMsPerSession: CpuCost };
}

export const STEADY_PREFIX = "B";

export async function seedSteadyFleet(context: BenchContext): Promise<number> {
  const { plan } = context;
  const devices = plan.steadyState.devices;
  const started = performance.now();
  context.progress(`B: seeding ${devices} registered devices`);
  await seedRegisteredDevices(
    context.pg.client,
    {
      prefix: STEADY_PREFIX,
      first: 0,
      count: devices,
      tenantIds: context.tenants.customers,
      connectionRequestBaseUrl: context.driver.connectionRequestBaseUrl,
    },
    (done) => context.progress(`B: ${done} / ${devices} seeded`),
  );
  await context.pg.client.query("ANALYZE");
  return Math.round((performance.now() - started) / 100) / 10;
}

export async function runSteadyState(
  context: BenchContext,
  baselineSessionsPerSecond?: number,
): Promise<SteadyStateResult> {
  const { plan, driver } = context;
  const seedSeconds = await seedSteadyFleet(context);
  const population = { prefix: STEADY_PREFIX, count: plan.steadyState.devices };

  context.progress(`B: closed loop, ${plan.concurrency} in flight, ${plan.steadyState.seconds} s`);
  const updatesBefore = await updateCounts(context.pg.client);
  const closed = await measure(context, () =>
    driver.run({
      kind: "sessions",
      target: context.ingress.url,
      population,
      load: { kind: "closed", concurrency: plan.concurrency, seconds: plan.steadyState.seconds },
    }),
  );
  const hotUpdates = updateDelta(updatesBefore, await updateCounts(context.pg.client));
  // The full run offers 40 % of what the bare server sustained in the same run; quick and --rate-b a fixed rate.
  const share = plan.steadyState.fixedRateShare;
  const rate =
    share && baselineSessionsPerSecond
      ? Math.max(1, Math.round(share * baselineSessionsPerSecond))
      : plan.steadyState.fixedRate;
  context.progress(`B: ${rate} sessions/s offered for ${plan.steadyState.fixedRateSeconds} s`);
  // Start where the closed loop stopped, so that no device informs twice within seconds.
  const fixedRate = await measure(context, () =>
    driver.run({
      kind: "sessions",
      target: context.ingress.url,
      population,
      startAt: closed.result.sessions + closed.result.errors,
      load: {
        kind: "open",
        rate,
        seconds: plan.steadyState.fixedRateSeconds,
        maxInFlight: maxInFlight(plan.concurrency),
      },
    }),
  );
  const sessions = closed.result.sessions + closed.result.errors;
  return {
    devices: plan.steadyState.devices,
    seedSeconds,
    closed: {
      ...closed.result,
      concurrency: plan.concurrency,
      usage: closed.usage,
      window: closed.window,
      cpuMsPerSession: cpuCost(closed.usage, sessions),
      database: {
        ...closed.database,
        statementsPerSession: perUnit(closed.database.statements, sessions),
        transactionsPerSession: perUnit(closed.database.transactions, sessions),
        hotUpdates,
      },
    },
    fixedRate: {
      ...fixedRate.result,
      usage: fixedRate.usage,
      cpuMsPerSession: cpuCost(fixedRate.usage, fixedRate.result.sessions + fixedRate.result.errors),
    },
  };
}
