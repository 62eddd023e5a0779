import { type ChildProcess, spawn } from "node:child_process";
import { chmodSync, closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDb, type Db, readRunStatus } from "@beacon/db";
import { freePort } from "@beacon/db/embedded";
import { loadTenantAccess, queueDeviceTask, type TenantAccess, tenantScope } from "@beacon/domain";
import { createFleet, type Fleet } from "@beacon/sim";
import { tail } from "../processes/server-process.ts";

/**
 * Scenario F, recovery: a whole `beacon start` (embedded PostgreSQL, ingress, console, worker) under steady load
 * from simulated devices with tasks in flight and a webhook subscribed to their results. One after the other,
 * kill -9 the ingress, the embedded PostgreSQL, the console, the USP controller and the worker; measure how long until each serves again and how
 * many sessions failed meanwhile; then prove that every task accepted (before, during and after the kills) ran
 * exactly once on its device and that every webhook due was delivered under its idempotency key.
 */

export interface RecoveryOptions {
  repoRoot: string;
  devices: number;
  /** Seconds between two periodic Informs of a device. */
  informSeconds: number;
  /** Tasks queued before each kill (and after the last), one per device at a time. */
  tasksPerKill: number;
  progress: (line: string) => void;
  keep: boolean;
}

export interface KillMeasurement {
  child: "ingress" | "postgres" | "console" | "usp" | "worker";
  /** kill -9 to the health endpoint answering 200 again (the ingress's /healthz asks the database). */
  recoverySeconds: number | null;
  /** The supervisor's own count of that child's restarts afterwards. */
  restarts: number;
  /** Device sessions that failed (503, cut connection) from the kill until recovery. */
  sessionsFailed: number;
  sessionsCompleted: number;
}

export interface RecoveryResult {
  devices: number;
  informSeconds: number;
  kills: KillMeasurement[];
  /** The slowest of the three recoveries. */
  maxRecoverySeconds: number | null;
  tasks: {
    accepted: number;
    /** Queue calls refused while the database was away (not accepted, so not owed). */
    refused: number;
    done: number;
    /** Accepted but not done within the deadline, or the device does not hold the value. */
    lost: number;
    /** SetParameterValues the devices received beyond one per task (a session cut before its answer was saved). */
    resent: number;
  };
  webhooks: {
    /** Deliveries Beacon owed (one per task.finished event). */
    due: number;
    /** Distinct idempotency keys (webhook-id) the receiver got. */
    received: number;
    lost: number;
    /** Receipts of a key already received: the receiver's deduplication absorbs them. */
    repeatedKeys: number;
  };
  shutdown: { seconds: number; exitCode: number | null };
  sessions: { completed: number; failed: number };
  log: string;
}

const PARAMETER = "InternetGatewayDevice.DeviceInfo.ProvisioningCode";

export async function runRecovery(options: RecoveryOptions): Promise<RecoveryResult> {
  const { progress } = options;
  const dir = mkdtempSync(join(tmpdir(), "beacon-bench-f-"));
  // As root, PostgreSQL runs as the `postgres` user, which must be able to pass through to its data folder.
  chmodSync(dir, 0o711);
  const dataDir = join(dir, "data");
  const logFile = join(dir, "beacon.log");
  const [consolePort, cwmpPort, uspPort] = [await freePort(), await freePort(), await freePort()];
  const receiver = await startWebhookReceiver();
  progress(`F: starting beacon start in ${dir} (console ${consolePort}, CWMP ${cwmpPort})`);
  const beacon = spawnBeacon(options.repoRoot, logFile, {
    BEACON_DATA_DIR: dataDir,
    CONSOLE_PORT: String(consolePort),
    CWMP_PORT: String(cwmpPort),
    USP_WS_PORT: String(uspPort),
    BEACON_ADMIN_EMAIL: "bench@beacon.test",
    BEACON_ADMIN_PASSWORD: "bench-admin-password",
    DATABASE_URL: "",
    BEACON_CWMP_ADMISSION: "open",
    BEACON_WEBHOOKS_ALLOW_PRIVATE_NETWORKS: "true",
    LOG_LEVEL: "warn",
  });
  let db: Db | undefined;
  let fleet: Fleet | undefined;
  try {
    await waitForLine(logFile, beacon, /Beacon is running/, 15 * 60_000);
    db = createDb(databaseUrl(dataDir), { maxConnections: 4, applicationName: "beacon-bench-f" });
    const admin = await db.user.findFirstOrThrow({ where: { email: "bench@beacon.test" }, select: { id: true } });
    const access = (await loadTenantAccess(db, admin.id)) as TenantAccess;
    const platform = await db.tenant.findFirstOrThrow({ where: { parentId: null }, select: { id: true } });
    const webhook = await db.webhook.create({
      data: { tenantId: platform.id, url: receiver.url, eventTypes: ["task.finished"], createdBy: "bench" },
    });
    await db.webhookSecret.create({ data: { tenantId: platform.id, webhookId: webhook.id, secret: "whsec_benchF" } });

    fleet = await createFleet({
      acsUrl: `http://127.0.0.1:${cwmpPort}/`,
      size: options.devices,
      model: "beacon-onu-tr098",
      serialPrefix: "F",
      periodicInformInterval: options.informSeconds * 10,
      timing: { timeScale: 0.1, requestTimeoutMs: 15_000 },
    });
    fleet.start({ spreadMs: options.informSeconds * 1000 });
    progress(`F: ${options.devices} devices informing every ${options.informSeconds} s`);
    const deviceIds = await waitForDevices(db, options.devices, 120_000);

    const tasks = new TaskLedger(db, access, deviceIds);
    await tasks.queue(options.tasksPerKill);
    await sleep(options.informSeconds * 1000);

    const kills: KillMeasurement[] = [];
    for (const child of ["ingress", "postgres", "console", "usp", "worker"] as const) {
      await tasks.queue(options.tasksPerKill);
      kills.push(await killAndMeasure(child, { dataDir, cwmpPort, consolePort, uspPort, fleet, tasks, progress }));
      await sleep(2_000);
    }
    await tasks.queue(options.tasksPerKill);

    progress("F: waiting for every accepted task to run");
    const settled = await tasks.settle(fleet, 120_000);
    progress("F: waiting for every webhook due to be delivered");
    const webhooks = await settleWebhooks(db, webhook.id, receiver, 90_000);
    const stats = fleet.snapshot();
    fleet.stop();
    await db.$disconnect();
    db = undefined;

    const stopStarted = Date.now();
    beacon.kill("SIGTERM");
    const exitCode = await new Promise<number | null>((resolve) => {
      if (beacon.exitCode !== null) resolve(beacon.exitCode);
      else beacon.once("exit", (code) => resolve(code));
    });
    const recoveries = kills.map((k) => k.recoverySeconds);
    return {
      devices: options.devices,
      informSeconds: options.informSeconds,
      kills,
      maxRecoverySeconds: recoveries.includes(null) ? null : Math.max(...(recoveries as number[])),
      tasks: settled,
      webhooks,
      shutdown: { seconds: round((Date.now() - stopStarted) / 1000), exitCode },
      sessions: { completed: stats.completed, failed: stats.failed },
      log: options.keep ? logFile : "",
    };
  } catch (error) {
    throw new Error(`${(error as Error).message}\nlast lines of beacon start:\n${tail(logFile, 30)}`);
  } finally {
    fleet?.stop();
    await db?.$disconnect();
    if (beacon.exitCode === null && beacon.signalCode === null) {
      beacon.kill("SIGTERM");
      await new Promise((resolve) => beacon.once("exit", resolve));
    }
    await receiver.close();
    if (!options.keep) rmSync(dir, { recursive: true, force: true });
  }
}

interface KillContext {
  dataDir: string;
  cwmpPort: number;
  consolePort: number;
  uspPort: number;
  fleet: Fleet;
  tasks: TaskLedger;
  progress: (line: string) => void;
}

async function killAndMeasure(child: KillMeasurement["child"], context: KillContext): Promise<KillMeasurement> {
  const status = readRunStatus(context.dataDir);
  // With several ingress processes (BEACON_INGRESS_PROCESSES), the first of them.
  const target = status?.children.find((c) => c.key === child || c.key.startsWith(`${child}-`));
  if (!target?.pid) throw new Error(`F: the status file names no running ${child}`);
  const restartsBefore = target.restarts;
  const health = {
    console: `http://127.0.0.1:${context.consolePort}/api/health`,
    usp: `http://127.0.0.1:${context.uspPort}/healthz`,
    ingress: `http://127.0.0.1:${context.cwmpPort}/healthz`,
    postgres: `http://127.0.0.1:${context.cwmpPort}/healthz`,
    worker: null,
  }[child];
  // The worker serves nothing: it is back when the supervisor has it running again.
  const backAgain = async () =>
    health
      ? answers(health)
      : readRunStatus(context.dataDir)?.children.some(
          (c) => c.key === target.key && c.state === "running" && c.restarts > restartsBefore,
        ) === true;
  const before = context.fleet.snapshot();
  const killedAt = Date.now();
  process.kill(target.pid, "SIGKILL");
  context.progress(`F: kill -9 ${child} (pid ${target.pid})`);
  // Work keeps coming while it is down: queue calls that fail are refused, not accepted.
  const queueing = context.tasks.queue(Math.ceil(context.tasks.devices / 10), true);
  let recoverySeconds: number | null = null;
  // Let the death be noticed before the first probe: a probe answered by the dying process would not count.
  await sleep(100);
  while (Date.now() - killedAt < 60_000) {
    if (await backAgain()) {
      recoverySeconds = round((Date.now() - killedAt) / 1000);
      break;
    }
    await sleep(100);
  }
  await queueing;
  const after = context.fleet.snapshot();
  // Another ingress process may serve before the killed one is back: wait (a while) for its restart too.
  const restartsOf = () =>
    (readRunStatus(context.dataDir)?.children.find((c) => c.key === target.key)?.restarts ?? 0) - restartsBefore;
  for (const waitStarted = Date.now(); restartsOf() === 0 && Date.now() - waitStarted < 30_000; ) await sleep(200);
  const restarts = restartsOf();
  context.progress(`F: ${child} serves again after ${recoverySeconds ?? "more than 60"} s`);
  return {
    child,
    recoverySeconds,
    restarts,
    sessionsFailed: after.failed - before.failed,
    sessionsCompleted: after.completed - before.completed,
  };
}

/** Tasks queued as the console would (queueDeviceTask), with the value each leaves on its device. */
class TaskLedger {
  private readonly accepted: { id: string; deviceId: string; value: string }[] = [];
  private refused = 0;
  private next = 0;
  constructor(
    private readonly db: Db,
    private readonly access: TenantAccess,
    private readonly deviceIds: { id: string; serialNumber: string }[],
  ) {}

  get devices(): number {
    return this.deviceIds.length;
  }

  /** Queues `count` SetParameterValues tasks on the next devices in turn; with `duringOutage`, failures are fine. */
  async queue(count: number, duringOutage = false): Promise<void> {
    const scoped = tenantScope(this.db, this.access);
    for (let k = 0; k < count; k++) {
      const device = this.deviceIds[this.next % this.deviceIds.length]!;
      const value = `F-${++this.next}`;
      try {
        const task = await queueDeviceTask(scoped, this.access, {
          deviceId: device.id,
          action: { kind: "setParameterValues", values: [{ name: PARAMETER, value }] },
        });
        this.accepted.push({ id: task.id, deviceId: device.id, value });
      } catch (error) {
        if (!duringOutage) throw error;
        this.refused += 1;
        await sleep(200);
      }
    }
  }

  async settle(fleet: Fleet, timeoutMs: number): Promise<RecoveryResult["tasks"]> {
    const ids = this.accepted.map((t) => t.id);
    const deadline = Date.now() + timeoutMs;
    let done = 0;
    while (Date.now() < deadline) {
      done = await this.db.task.count({ where: { id: { in: ids }, state: "done" } });
      if (done === ids.length) break;
      await sleep(1_000);
    }
    // The last value accepted for each device is what it must hold now.
    const lastValue = new Map<string, string>();
    for (const task of this.accepted) lastValue.set(task.deviceId, task.value);
    const serialOf = new Map(this.deviceIds.map((d) => [d.id, d.serialNumber]));
    let wrongValues = 0;
    for (const [deviceId, value] of lastValue) {
      if (fleet.device(serialOf.get(deviceId) ?? "")?.get(PARAMETER) !== value) wrongValues += 1;
    }
    const received = fleet.snapshot().rpcs.SetParameterValues ?? 0;
    return {
      accepted: ids.length,
      refused: this.refused,
      done,
      lost: ids.length - done + wrongValues,
      resent: Math.max(0, received - ids.length),
    };
  }
}

async function settleWebhooks(
  db: Db,
  webhookId: string,
  receiver: WebhookReceiver,
  timeoutMs: number,
): Promise<RecoveryResult["webhooks"]> {
  // The worker turns state changes into events 30 s after the fact at most (its lag), then delivers them.
  const deadline = Date.now() + timeoutMs;
  let due: { messageId: string; state: string }[] = [];
  while (Date.now() < deadline) {
    due = await db.webhookDelivery.findMany({ where: { webhookId }, select: { messageId: true, state: true } });
    const finished = await db.task.count({ where: { state: "done", kind: "setParameterValues" } });
    if (due.length >= finished && due.every((d) => d.state === "delivered")) break;
    await sleep(1_000);
  }
  const keys = new Set(due.map((d) => d.messageId));
  const received = [...receiver.receipts.keys()].filter((key) => keys.has(key)).length;
  const repeatedKeys = [...receiver.receipts.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0);
  return { due: due.length, received, lost: due.length - received, repeatedKeys };
}

interface WebhookReceiver {
  url: string;
  /** webhook-id -> receipts. */
  receipts: Map<string, number>;
  close: () => Promise<void>;
}

async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const receipts = new Map<string, number>();
  const server: Server = createServer((request, response) => {
    const key = String(request.headers["webhook-id"] ?? "");
    request.resume();
    request.on("end", () => {
      if (key) receipts.set(key, (receipts.get(key) ?? 0) + 1);
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    receipts,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function spawnBeacon(repoRoot: string, logFile: string, env: Record<string, string>): ChildProcess {
  const log = openSync(logFile, "a");
  const child = spawn(process.execPath, [join(repoRoot, "bin", "beacon.mjs"), "start"], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ["ignore", log, log],
  });
  closeSync(log);
  return child;
}

async function waitForLine(file: string, child: ChildProcess, line: RegExp, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (existsSync(file) && line.test(readFileSync(file, "utf8"))) return;
    if (child.exitCode !== null) throw new Error(`beacon start exited with ${child.exitCode}`);
    await sleep(250);
  }
  throw new Error(`beacon start did not print ${line} within ${timeoutMs / 1000} s`);
}

/** Beacon's database on the embedded server `beacon start` runs (credentials and port from its data folder). */
function databaseUrl(dataDir: string): string {
  const { user, password } = JSON.parse(readFileSync(join(dataDir, "pg-credentials.json"), "utf8")) as {
    user: string;
    password: string;
  };
  const port = Number(readFileSync(join(dataDir, "pg", "postmaster.pid"), "utf8").split("\n")[3]);
  return `postgresql://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/beacon`;
}

async function waitForDevices(db: Db, count: number, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const devices = await db.device.findMany({
      where: { serialNumber: { startsWith: "F" }, parameters: { some: { name: PARAMETER } } },
      select: { id: true, serialNumber: true },
      orderBy: { serialNumber: "asc" },
    });
    if (devices.length >= count) return devices;
    if (Date.now() > deadline) throw new Error(`only ${devices.length} of ${count} devices registered`);
    await sleep(1_000);
  }
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
