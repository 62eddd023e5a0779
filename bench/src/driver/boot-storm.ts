import type { Agent } from "node:http";
import type { AcsRequest, CpeMessage } from "@beacon/cwmp";
import { runCpeSession } from "../cpe-session.ts";
import { BOOTSTRAP, CWMP_NAMESPACE, DATA_MODEL_ROOT, type Population, serialNumberOf } from "../fleet-identity.ts";
import { answerRequest, informOf } from "./cpe-behaviour.ts";
import type { BootStormRun, RotatedDevice, RotationCheck } from "./jobs.ts";
import { round } from "./session-runs.ts";
import { SessionTally } from "./session-tally.ts";

/**
 * Scenario A: devices Beacon has never seen contact it at once with "0 BOOTSTRAP" and the shared bootstrap
 * credential; Beacon admits each, registers it and, in the same session, sets its own credentials with
 * SetParameterValues. A device that fails retries after a short pause (real CPEs wait 5-10 s, TR-069
 * 3.2.1.1; the benchmark wants the server's capacity, not the CPEs' patience) with whatever credentials it
 * holds by then. It counts as registered once it holds credentials of its own.
 */

const TIMEOUT_MS = 30_000;
const MAX_ATTEMPTS = 30;
const USERNAME = `${DATA_MODEL_ROOT}.ManagementServer.Username`;
const PASSWORD = `${DATA_MODEL_ROOT}.ManagementServer.Password`;

interface Context {
  readonly target: URL;
  readonly population: Population;
  readonly concurrency: number;
  readonly sample: number;
  readonly connectionRequestBaseUrl: string;
  readonly agent?: Agent;
}

interface Credentials {
  username: string;
  password: string;
}

export async function runBootStorm(context: Context): Promise<BootStormRun> {
  const { population } = context;
  const tally = new SessionTally();
  const own = new Map<number, Credentials>();
  let attempts = 0;
  let next = 0;
  const started = performance.now();
  let lastRegistered = started;

  const bootstrap = async (index: number) => {
    const serialNumber = serialNumberOf(population.prefix, index);
    const t0 = performance.now();
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      attempts++;
      const held = own.get(index);
      const events = held ? ["1 BOOT"] : ["0 BOOTSTRAP", "1 BOOT"];
      const answer = (request: AcsRequest): CpeMessage => {
        if (request.type === "SetParameterValues") {
          const value = (name: string) => request.parameterList.find((p) => p.name === name)?.value;
          const username = value(USERNAME);
          const password = value(PASSWORD);
          if (username !== undefined && password !== undefined) own.set(index, { username, password });
        }
        return answerRequest(request);
      };
      const result = await runCpeSession({
        url: context.target,
        namespace: CWMP_NAMESPACE,
        inform: informOf(serialNumber, index, events, context.connectionRequestBaseUrl),
        credentials: held ?? BOOTSTRAP,
        answer,
        timeoutMs: TIMEOUT_MS,
        agent: context.agent,
      });
      if (result.ok && own.has(index)) {
        tally.add(result, performance.now() - t0);
        lastRegistered = performance.now();
        return;
      }
      tally.add(
        result.ok ? { ...result, ok: false, failure: "protocol", detail: "no credentials were set" } : result,
        0,
      );
      await sleep(100 + Math.random() * Math.min(2_000, 100 * 2 ** attempt));
    }
  };

  const worker = async () => {
    while (next < population.count) await bootstrap((population.first ?? 0) + next++);
  };
  await Promise.all(Array.from({ length: context.concurrency }, worker));
  const seconds = (lastRegistered - started) / 1000;
  const registered = own.size;
  const rotated = [...own.entries()].slice(0, context.sample).map(([index, c]) => ({ index, ...c }));
  return {
    devices: population.count,
    registered,
    seconds: round(seconds),
    devicesPerSecond: round(registered / seconds),
    attempts,
    retries: attempts - population.count,
    failures: tally.failures,
    httpRequests: tally.httpRequests,
    requestsPerSecond: round(tally.httpRequests / seconds),
    latencyMs: tally.latency.summary(),
    sampleErrors: tally.sampleErrors,
    rotated,
  };
}

/** Each device informs with the credentials Beacon gave it (must work), then with the bootstrap one (must not). */
export async function verifyRotation(
  target: URL,
  prefix: string,
  devices: readonly RotatedDevice[],
  connectionRequestBaseUrl: string,
): Promise<RotationCheck> {
  let ownCredentialsAccepted = 0;
  let bootstrapRefused = 0;
  for (const device of devices) {
    const serialNumber = serialNumberOf(prefix, device.index);
    const session = (credentials: Credentials) =>
      runCpeSession({
        url: target,
        namespace: CWMP_NAMESPACE,
        inform: informOf(serialNumber, device.index, ["2 PERIODIC"], connectionRequestBaseUrl),
        credentials,
        answer: answerRequest,
        timeoutMs: TIMEOUT_MS,
      });
    if ((await session(device)).ok) ownCredentialsAccepted++;
    const refused = await session(BOOTSTRAP);
    if (!refused.ok && refused.failure === "forbidden") bootstrapRefused++;
  }
  return { sampled: devices.length, ownCredentialsAccepted, bootstrapRefused };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
