import type { Agent } from "node:http";
import { runCpeSession } from "../cpe-session.ts";
import { CWMP_NAMESPACE, cwmpCredentialsOf, type Population, serialNumberOf } from "../fleet-identity.ts";
import { answerRequest, informOf } from "./cpe-behaviour.ts";
import type { ClosedLoad, OpenLoad, SessionRun } from "./jobs.ts";
import { SessionTally } from "./session-tally.ts";

/**
 * Periodic-inform sessions of registered devices (scenario B and the baseline): each device in turn, with the
 * credentials seeded for it, events "2 PERIODIC".
 */

const TIMEOUT_MS = 30_000;
/**
 * After a 503 (the ingress holds BEACON_INGRESS_MAX_SESSIONS sessions), a closed-loop slot waits this long before
 * its next session. Real CPEs wait Retry-After (10 s); the bench keeps the offered load, without spinning.
 */
const BUSY_PAUSE_MS = 100;

interface Context {
  readonly target: URL;
  readonly population: Population;
  readonly startAt: number;
  readonly connectionRequestBaseUrl: string;
  readonly agent?: Agent;
}

function periodicSession(context: Context, k: number) {
  const { population } = context;
  const index = (population.first ?? 0) + ((context.startAt + k) % population.count);
  const serialNumber = serialNumberOf(population.prefix, index);
  return runCpeSession({
    url: context.target,
    namespace: CWMP_NAMESPACE,
    inform: informOf(serialNumber, index, ["2 PERIODIC"], context.connectionRequestBaseUrl),
    credentials: cwmpCredentialsOf(serialNumber),
    answer: answerRequest,
    timeoutMs: TIMEOUT_MS,
    agent: context.agent,
  });
}

export async function runClosedLoop(context: Context, load: ClosedLoad): Promise<SessionRun> {
  const tally = new SessionTally();
  const started = performance.now();
  const stopAt = started + load.seconds * 1000;
  let next = 0;
  let lastEnd = started;
  const worker = async () => {
    while (performance.now() < stopAt) {
      const k = next++;
      const t0 = performance.now();
      const result = await periodicSession(context, k);
      lastEnd = performance.now();
      tally.add(result, lastEnd - t0);
      if (result.failure === "busy") await new Promise((resolve) => setTimeout(resolve, BUSY_PAUSE_MS));
    }
  };
  await Promise.all(Array.from({ length: load.concurrency }, worker));
  return summarise(tally, (lastEnd - started) / 1000);
}

export async function runOpenLoop(context: Context, load: OpenLoad): Promise<SessionRun> {
  const tally = new SessionTally();
  const total = Math.round(load.rate * load.seconds);
  const interval = 1000 / load.rate;
  const started = performance.now();
  const running = new Set<Promise<void>>();
  let launched = 0;
  let dropped = 0;
  let lastEnd = started;

  const launch = (k: number) => {
    const planned = started + k * interval;
    const session = periodicSession(context, k).then((result) => {
      lastEnd = performance.now();
      tally.add(result, lastEnd - planned);
      running.delete(session);
    });
    running.add(session);
  };

  await new Promise<void>((done) => {
    const tick = () => {
      const due = Math.min(total, Math.floor((performance.now() - started) / interval) + 1);
      while (launched < due) {
        if (running.size >= load.maxInFlight) dropped++;
        else launch(launched);
        launched++;
      }
      if (launched >= total) done();
      else setTimeout(tick, 1);
    };
    tick();
  });
  while (running.size > 0) await Promise.all([...running]);
  const run = summarise(tally, (lastEnd - started) / 1000);
  return { ...run, offeredRate: load.rate, dropped, errors: run.errors + dropped };
}

function summarise(tally: SessionTally, seconds: number): SessionRun {
  return {
    sessions: tally.sessions,
    failures: tally.failures,
    errors: tally.errors,
    seconds: round(seconds),
    sessionsPerSecond: round(tally.sessions / seconds),
    httpRequests: tally.httpRequests,
    requestsPerSecond: round(tally.httpRequests / seconds),
    latencyMs: tally.latency.summary(),
    sampleErrors: tally.sampleErrors,
  };
}

export function round(n: number): number {
  return Math.round(n * 100) / 100;
}
