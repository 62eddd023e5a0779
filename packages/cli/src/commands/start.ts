import { join } from "node:path";
import { checkDataFolder, createDb, runStatusPath } from "@beacon/db";
import { EmbeddedPostgresFailed, startEmbeddedPostgres } from "@beacon/db/embedded";
import { ensureFirstAdmin } from "@beacon/domain";
import { buildConsoleIfNeeded, generatePrismaClient } from "../build.ts";
import { type BeaconConfig, ConfigProblem } from "../config.ts";
import { embeddedDatabaseUrl, ensureEmbeddedDatabase, migrate, openDatabase } from "../database.ts";
import { assertPortFree } from "../ports.ts";
import { repoRoot } from "../repo.ts";
import { loadOrCreateSecrets } from "../secrets.ts";
import { type RunningChild, Supervisor, spawnChild } from "../supervisor.ts";

const log = (line: string) => process.stdout.write(`beacon: ${line}\n`);

/** How long the ingress may let CWMP sessions under way finish at shutdown (it is killed 5 s after that). */
const DRAIN_SECONDS = 10;
const STORAGE_CHECK_MS = 15_000;
/** Starts of the embedded PostgreSQL tried, 250 ms apart, before one restart counts as failed. */
const RESTART_ATTEMPTS = 40;

/** Lines of PostgreSQL's log that mean it cannot write its files. */
const POSTGRES_CANNOT_WRITE =
  /No space left on device|Read-only file system|could not (write|extend|fsync) (to )?file/i;

/**
 * `npm start`: PostgreSQL (embedded unless DATABASE_URL), migrations, first admin, console build, then the CWMP
 * ingress, the console and the worker as supervised child processes until Ctrl-C or SIGTERM. A child that dies
 * is restarted (the embedded PostgreSQL included, on the same port, so the others' pools reconnect by themselves).
 */
export async function start(config: BeaconConfig): Promise<number> {
  if (config.consolePort === config.cwmpPort) {
    throw new ConfigProblem(`CONSOLE_PORT and CWMP_PORT are both ${config.consolePort}; give them different ports`);
  }
  await assertPortFree(config.consolePort, "CONSOLE_PORT");
  await assertPortFree(config.cwmpPort, "CWMP_PORT");
  await assertPortFree(config.uspPort, "USP_WS_PORT");
  const storage = checkDataFolder(config.dataDir);
  if (!storage.ok) throw new ConfigProblem(`cannot start: ${storage.message}`);

  let stopping = false;
  const supervisor = new Supervisor({
    restartLimit: config.restartLimit,
    statusFile: runStatusPath(config.dataDir),
    log,
    onGiveUp: (message) => {
      log(message);
      void stopAll(1);
    },
  });
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    clearInterval(storageWatch);
    log("stopping…");
    await supervisor.stopAll();
    log("stopped");
    process.exit(code);
  };
  let storageWatch: NodeJS.Timeout | undefined;
  process.on("SIGINT", () => void stopAll(0));
  process.on("SIGTERM", () => void stopAll(0));

  let databaseUrl: string;
  try {
    if (config.databaseUrl) {
      const database = await openDatabase(config, { allowShared: false });
      databaseUrl = database.url;
      log("using the database at DATABASE_URL");
    } else {
      databaseUrl = await superviseEmbeddedPostgres(config, supervisor);
      log(`PostgreSQL data in ${config.dataDir}/pg`);
    }
    const report = await migrate(databaseUrl);
    if (report.applied.length) log(`applied migrations: ${report.applied.join(", ")}`);

    const db = createDb(databaseUrl, { maxConnections: 2, applicationName: "beacon-start" });
    try {
      const admin = await ensureFirstAdmin(db, config.adminEmail, config.adminPassword);
      if (admin.created && admin.generatedPassword) {
        log(`created the first admin: ${admin.email} with password ${admin.generatedPassword}`);
        log("this password is shown only once; change it with `npx beacon user reset-password`");
      } else if (admin.created) {
        log(`created the first admin: ${admin.email} (password from BEACON_ADMIN_PASSWORD)`);
      }
    } finally {
      await db.$disconnect();
    }

    await generatePrismaClient(repoRoot);
    await buildConsoleIfNeeded(repoRoot, log);
  } catch (error) {
    stopping = true;
    await supervisor.stopAll();
    throw error;
  }

  const secrets = loadOrCreateSecrets(config.dataDir);
  const bootstrapUsername = config.cwmpBootstrapUsername ?? "beacon";
  const bootstrapPassword = config.cwmpBootstrapPassword ?? secrets.cwmpBootstrapPassword;
  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    BEACON_DATA_DIR: config.dataDir,
    CWMP_PORT: String(config.cwmpPort),
    USP_WS_PORT: String(config.uspPort),
    // Both programs refuse connection requests to Beacon's own ports.
    CONSOLE_PORT: String(config.consolePort),
    NEXTAUTH_SECRET: config.nextAuthSecret ?? secrets.nextAuthSecret,
    NEXTAUTH_URL: config.nextAuthUrl ?? `http://localhost:${config.consolePort}`,
    BEACON_CWMP_BOOTSTRAP_USERNAME: bootstrapUsername,
    BEACON_CWMP_BOOTSTRAP_PASSWORD: bootstrapPassword,
    BEACON_CWMP_DRAIN_SECONDS: String(DRAIN_SECONDS),
    NEXT_TELEMETRY_DISABLED: "1",
    NODE_ENV: "production",
  };
  const node =
    (args: string[], cwd = repoRoot, graceMs = 10_000) =>
    () =>
      spawnChild(process.execPath, args, { cwd, env, graceMs });
  try {
    await supervisor.add({
      key: "ingress",
      name: "the CWMP ingress",
      start: node(
        ["--import", "tsx", join(repoRoot, "apps", "ingress", "src", "server.ts")],
        repoRoot,
        (DRAIN_SECONDS + 5) * 1000,
      ),
      healthUrl: `http://127.0.0.1:${config.cwmpPort}/healthz`,
    });
    await supervisor.add({
      key: "console",
      name: "the console",
      start: node(
        [join(repoRoot, "node_modules", "next", "dist", "bin", "next"), "start", "-p", String(config.consolePort)],
        join(repoRoot, "apps", "console"),
      ),
      healthUrl: `http://127.0.0.1:${config.consolePort}/api/health`,
    });
    // USP (TR-369) controller beside the CWMP ingress: agents' WebSocket on USP_WS_PORT, MQTT when USP_MQTT_URL is set.
    await supervisor.add({
      key: "usp",
      name: "the USP controller",
      start: node(["--import", "tsx", join(repoRoot, "apps", "usp", "src", "server.ts")], repoRoot),
      healthUrl: `http://127.0.0.1:${config.uspPort}/healthz`,
    });
    await supervisor.add({
      key: "worker",
      name: "the worker",
      start: node(["--import", "tsx", join(repoRoot, "packages", "cli", "src", "main.ts"), "worker"]),
    });
  } catch (error) {
    await stopAll(1);
    throw error;
  }

  await Promise.all([
    waitForHealth(`http://127.0.0.1:${config.cwmpPort}/healthz`),
    waitForHealth(`http://127.0.0.1:${config.consolePort}/api/health`),
    waitForHealth(`http://127.0.0.1:${config.uspPort}/healthz`),
  ]);
  storageWatch = setInterval(() => {
    const state = checkDataFolder(config.dataDir);
    supervisor.alarm("storage", state.ok ? null : `${state.message}; the database cannot write`);
    if (state.ok) supervisor.alarm("database-write", null);
  }, STORAGE_CHECK_MS);
  storageWatch.unref();
  supervisor.markRunning();
  log(`console  http://localhost:${config.consolePort}`);
  log(`CWMP     http://localhost:${config.cwmpPort}/  (point your CPEs' ManagementServer.URL here)`);
  log(`USP      ws://localhost:${config.uspPort}/  (USP agents' WebSocket MTP; MQTT with USP_MQTT_URL)`);
  if (!config.cwmpBootstrapPassword) {
    log(
      `CPE bootstrap credential: ${bootstrapUsername} / ${bootstrapPassword} (kept in ${config.dataDir}/secrets.json;`,
    );
    log("  each CPE gets credentials of its own on first contact; set BEACON_CWMP_BOOTSTRAP_PASSWORD to choose it)");
  }
  log("Beacon is running; Ctrl-C stops it");
  return new Promise<number>(() => {});
}

/**
 * Starts the embedded PostgreSQL under the supervisor, which restarts it on the same port after a crash (waiting
 * for its crash recovery, which comes before "ready to accept connections"), so DATABASE_URL never changes.
 */
async function superviseEmbeddedPostgres(config: BeaconConfig, supervisor: Supervisor): Promise<string> {
  let port: number | undefined;
  const startOnce = () =>
    startEmbeddedPostgres({
      dataDir: config.dataDir,
      port,
      onLog: (line) => {
        if (POSTGRES_CANNOT_WRITE.test(line)) supervisor.alarm("database-write", `the database cannot write: ${line}`);
      },
    });
  const startPostgres = async (): Promise<RunningChild> => {
    let server: Awaited<ReturnType<typeof startEmbeddedPostgres>>;
    for (let attempt = 1; ; attempt++) {
      try {
        server = await startOnce();
        break;
      } catch (error) {
        // After a crash, backends of the dead server hold its shared memory for a moment ("pre-existing shared
        // memory block is still in use"): a restart tries again for a few seconds before it counts as a failure.
        if (port === undefined || attempt >= RESTART_ATTEMPTS) {
          throw error instanceof EmbeddedPostgresFailed ? new ConfigProblem(error.message) : error;
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
    port = server.port;
    return { pid: server.pid, exited: server.exited, stop: server.stop };
  };
  await supervisor.add({ key: "postgres", name: "the embedded PostgreSQL", start: startPostgres, stopLast: true });
  if (port === undefined) throw new Error("the embedded PostgreSQL did not report its port");
  await ensureEmbeddedDatabase(config.dataDir, port);
  return embeddedDatabaseUrl(config.dataDir, port);
}

async function waitForHealth(url: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}
