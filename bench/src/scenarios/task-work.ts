import { connectionRequestTargets, wakeDevice } from "@beacon/domain";
import type { ConnectionRequestRun } from "../driver/jobs.ts";
import type { Usage } from "../processes/resources.ts";
import { seedRegisteredDevices, seedTasks } from "../seed.ts";
import { type BenchContext, type CpuCost, cpuCost, type Measured, measure, perUnit } from "./context.ts";

/**
 * Scenario C, work: registered devices each with one pending task (SetParameterValues or Reboot, seeded),
 * woken the way the console wakes them: wakeDevice() from @beacon/domain, a connection request per task
 * (HTTP GET with Digest to the device's ConnectionRequestURL, here the driver's listener). Each device then
 * opens a session, gets its task, answers it. Measures tasks completed per second (done in the database),
 * from the first connection request to the end of the last session.
 */

export interface TaskWorkResult {
  devices: number;
  seedSeconds: number;
  wakeConcurrency: number;
  sessionConcurrency: number;
  seconds: number;
  tasksPerSecond: number;
  /** Outcomes of wakeDevice, as recorded on the tasks. */
  wakeOutcomes: Record<string, number>;
  wakeErrors: number;
  /** The first exception wakeDevice threw, if any. */
  wakeErrorSample?: string;
  sessions: Omit<ConnectionRequestRun, "seconds">;
  /** Task states in the database afterwards. */
  taskStates: Record<string, number>;
  usage: Usage;
  cpuMsPerTask: CpuCost;
  /** Includes wakeDevice's own two statements per task (the console's side). */
  database: Measured<unknown>["database"] & { statementsPerTask: number };
}

const PREFIX = "C";

export async function runTaskWork(context: BenchContext): Promise<TaskWorkResult> {
  const { plan, driver, pg } = context;
  const devices = plan.taskWork.devices;
  const seedStarted = performance.now();
  context.progress(`C: seeding ${devices} devices with one pending task each`);
  await seedRegisteredDevices(pg.client, {
    prefix: PREFIX,
    first: 0,
    count: devices,
    tenantIds: context.tenants.customers,
    connectionRequestBaseUrl: driver.connectionRequestBaseUrl,
  });
  const tasks = await seedTasks(pg.client, PREFIX);
  await pg.client.query("ANALYZE");
  const seedSeconds = Math.round((performance.now() - seedStarted) / 100) / 10;

  context.progress(`C: waking ${tasks.length} devices, ${plan.taskWork.wakeConcurrency} connection requests in flight`);
  const wakeOutcomes: Record<string, number> = {};
  let wakeErrors = 0;
  let wakeErrorSample: string | undefined;
  let seconds = 0;
  // The driver's listener is on 127.0.0.1, which connection requests may not reach by default.
  const settings = { targets: connectionRequestTargets({ allow: ["loopback"] }) };
  const measured = await measure(context, async () => {
    const started = performance.now();
    const sessions = driver.run({
      kind: "connectionRequests",
      target: context.ingress.url,
      population: { prefix: PREFIX, count: devices },
      concurrency: plan.concurrency,
      expectedSessions: tasks.length,
      timeoutMs: Math.max(120_000, tasks.length * 100),
    });
    let next = 0;
    const waker = async () => {
      while (next < tasks.length) {
        const task = tasks[next++]!;
        try {
          const { outcome } = await wakeDevice(context.db, task.deviceId, { taskId: task.taskId, settings });
          wakeOutcomes[outcome] = (wakeOutcomes[outcome] ?? 0) + 1;
        } catch (error) {
          wakeErrors++;
          wakeErrorSample ??= (error as Error)?.message ?? String(error);
        }
      }
    };
    await Promise.all(Array.from({ length: plan.taskWork.wakeConcurrency }, waker));
    const run = await sessions;
    seconds = (performance.now() - started) / 1000;
    return run;
  });
  const { rows } = await pg.client.query<{ state: string; n: string }>(
    `SELECT t."state"::text AS state, count(*)::text AS n FROM "Task" t JOIN "Device" d ON d."id" = t."deviceId"
     WHERE d."serialNumber" LIKE $1 || '%' GROUP BY 1`,
    [PREFIX],
  );
  const taskStates = Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
  const { seconds: _, ...sessions } = measured.result;
  return {
    devices,
    seedSeconds,
    wakeConcurrency: plan.taskWork.wakeConcurrency,
    sessionConcurrency: plan.concurrency,
    seconds: Math.round(seconds * 100) / 100,
    tasksPerSecond: Math.round(((taskStates.done ?? 0) / seconds) * 100) / 100,
    wakeOutcomes,
    wakeErrors,
    ...(wakeErrorSample ? { wakeErrorSample } : {}),
    sessions,
    taskStates,
    usage: measured.usage,
    cpuMsPerTask: cpuCost(measured.usage, taskStates.done ?? 0),
    database: { ...measured.database, statementsPerTask: perUnit(measured.database.statements, tasks.length) },
  };
}
