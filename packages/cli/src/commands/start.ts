import cluster from "node:cluster";
import { join } from "node:path";
import { checkDatabase, checkDataFolder, createDb, runStatusPath } from "@beacon/db";
import { EmbeddedPostgresFailed, startEmbeddedPostgres } from "@beacon/db/embedded";
import { ensureFirstAdmin } from "@beacon/domain";
import { buildConsoleIfNeeded, buildIngressBundle, generatePrismaClient } from "../build.ts";
import { type BeaconConfig, ConfigProblem } from "../config.ts";
import { embeddedDatabaseUrl, ensureEmbeddedDatabase, migrate, openDatabase, runningEmbeddedUrl } from "../database.ts";
import { assertPortFree } from "../ports.ts";
import { repoRoot } from "../repo.ts";
import { loadOrCreateSecrets } from "../secrets.ts";
import { forkWorker, type RunningChild, Supervisor, spawnChild } from "../supervisor.ts";

const log = (line: string) => process.stdout.write(`beacon: ${line}\n`);

/** How long the ingress may let CWMP sessions under way finish at shutdown (it is killed 5 s after that). */
const DRAIN_SECONDS = 10;
const STORAGE_CHECK_MS = 15_000;
/** Starts of the embedded PostgreSQL tried, 250 ms apart, before one restart counts as failed. */
const RESTART_ATTEMPTS = 40;

/** Lines of PostgreSQL's log that mean it cannot write its files. */
const POSTGRES_CANNOT_WRITE =
  /No space left on device|Read-only file system|could not (write|extend|fsync) (to )?file/i;

/** The roles `beacon start` can run; `--only` picks some of them (all by default). */
export const ROLES = ["ingress", "usp", "console", "worker"] as const;
export type Role = (typeof ROLES)[number];

/**
 * Reads `--only ingress,console` (or `--only=ingress`): the roles to run, each once, in ROLES' order. Without
 * `--only`, every role.
 */
export function parseStartArgs(args: string[]): Set<Role> {
  let only: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === "--only") {
      only = args[++i];
      if (only === undefined || only.startsWith("--")) {
        throw new ConfigProblem(`--only needs a list of roles: ${ROLES.join(", ")} (comma-separated)`);
      }
    } else if (arg.startsWith("--only=")) {
      only = arg.slice("--only=".length);
    } else {
      throw new ConfigProblem(`unknown option "${arg}" for start; it takes --only ${ROLES.join("|")}[,...]`);
    }
  }
  if (only === undefined) return new Set(ROLES);
  const roles = new Set<Role>();
  for (const name of only.split(",").map((part) => part.trim())) {
    if (!(ROLES as readonly string[]).includes(name)) {
      throw new ConfigProblem(`unknown role "${name}" in --only; the roles are ${ROLES.join(", ")}`);
    }
    roles.add(name as Role);
  }
  return roles;
}

/**
 * `npm start`: PostgreSQL (embedded unless DATABASE_URL), migrations, first admin, console build, then the CWMP
 * ingress, the console and the worker as supervised child processes until Ctrl-C or SIGTERM. A child that dies
 * is restarted (the embedded PostgreSQL included, on the same port, so the others' pools reconnect by themselves).
 *
 * `roles` (from `--only`) runs some of them only, for deployments that place roles on different machines. Every
 * role needs the database. With DATABASE_URL none is started (the multi-machine case). Without it, `--only` uses
 * the embedded PostgreSQL that another `beacon start` already runs on the same data folder (one machine, roles
 * restarted separately; it goes away when that start stops), and otherwise starts and supervises it itself. Migrations run at every start (under an advisory lock, so several machines
 * starting at once apply each one once); the first admin is created and the console built only with the console.
 */
export async function start(config: BeaconConfig, roles: Set<Role> = new Set(ROLES)): Promise<number> {
  if (roles.has("console") && roles.has("ingress") && config.consolePort === config.cwmpPort) {
    throw new ConfigProblem(`CONSOLE_PORT and CWMP_PORT are both ${config.consolePort}; give them different ports`);
  }
  if (roles.has("console")) await assertPortFree(config.consolePort, "CONSOLE_PORT");
  if (roles.has("ingress")) await assertPortFree(config.cwmpPort, "CWMP_PORT");
  if (roles.has("usp")) await assertPortFree(config.uspPort, "USP_WS_PORT");
  const partial = roles.size < ROLES.length;
  if (partial) log(`running ${[...roles].join(", ")} only (--only)`);
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
    const shared = !config.databaseUrl && partial ? await sharedEmbeddedUrl(config.dataDir) : undefined;
    if (config.databaseUrl) {
      const database = await openDatabase(config, { allowShared: false });
      databaseUrl = database.url;
      log("using the database at DATABASE_URL");
    } else if (shared) {
      databaseUrl = shared;
      log(`using the embedded PostgreSQL another \`beacon start\` runs on ${config.dataDir}/pg`);
    } else {
      databaseUrl = await superviseEmbeddedPostgres(config, supervisor);
      log(`PostgreSQL data in ${config.dataDir}/pg`);
    }
    const report = await migrate(databaseUrl);
    if (report.applied.length) log(`applied migrations: ${report.applied.join(", ")}`);

    if (roles.has("console")) await createFirstAdmin(config, databaseUrl);
    await generatePrismaClient(repoRoot);
    if (roles.has("console")) await buildConsoleIfNeeded(repoRoot, log);
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
    const ingresses = roles.has("ingress") ? config.ingressProcesses : 0;
    // The ingress processes are cluster workers sharing the CWMP port: one dying leaves the others serving. They
    // run a bundle of the ingress (buildIngressBundle: less memory each); from the sources through tsx if it
    // cannot be built.
    const bundle = ingresses > 0 ? await buildIngressBundle(repoRoot).catch((error: unknown) => error as Error) : null;
    if (bundle instanceof Error)
      log(`the ingress runs from its sources: its bundle could not be built (${bundle.message})`);
    cluster.setupPrimary(
      typeof bundle === "string"
        ? { exec: bundle, execArgv: [], cwd: repoRoot }
        : { exec: join(repoRoot, "apps", "ingress", "src", "server.ts"), execArgv: ["--import", "tsx"], cwd: repoRoot },
    );
    for (let k = 1; k <= ingresses; k++) {
      await supervisor.add({
        key: `ingress-${k}`,
        name: ingresses > 1 ? `the CWMP ingress ${k} of ${ingresses}` : "the CWMP ingress",
        start: () => forkWorker(env, (DRAIN_SECONDS + 5) * 1000),
        healthUrl: `http://127.0.0.1:${config.cwmpPort}/healthz`,
      });
    }
    if (roles.has("console"))
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
    if (roles.has("usp"))
      await supervisor.add({
        key: "usp",
        name: "the USP controller",
        start: node(["--import", "tsx", join(repoRoot, "apps", "usp", "src", "server.ts")], repoRoot),
        healthUrl: `http://127.0.0.1:${config.uspPort}/healthz`,
      });
    if (roles.has("worker"))
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
    roles.has("ingress") && waitForHealth(`http://127.0.0.1:${config.cwmpPort}/healthz`),
    roles.has("console") && waitForHealth(`http://127.0.0.1:${config.consolePort}/api/health`),
    roles.has("usp") && waitForHealth(`http://127.0.0.1:${config.uspPort}/healthz`),
  ]);
  storageWatch = setInterval(() => {
    const state = checkDataFolder(config.dataDir);
    supervisor.alarm("storage", state.ok ? null : `${state.message}; the database cannot write`);
    if (state.ok) supervisor.alarm("database-write", null);
  }, STORAGE_CHECK_MS);
  storageWatch.unref();
  supervisor.markRunning();
  if (roles.has("console")) log(`console  http://localhost:${config.consolePort}`);
  if (roles.has("ingress")) {
    log(`CWMP     http://localhost:${config.cwmpPort}/  (point your CPEs' ManagementServer.URL here)`);
  }
  if (roles.has("usp"))
    log(`USP      ws://localhost:${config.uspPort}/  (USP agents' WebSocket MTP; MQTT with USP_MQTT_URL)`);
  if (roles.has("worker") && partial) log("worker   campaigns, monitoring and webhooks");
  if (roles.has("ingress") && !config.cwmpBootstrapPassword) {
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

/** The embedded PostgreSQL another `beacon start` runs on this data folder, when it answers. */
async function sharedEmbeddedUrl(dataDir: string): Promise<string | undefined> {
  const url = runningEmbeddedUrl(dataDir);
  return url && (await checkDatabase(url)).ok ? url : undefined;
}

async function createFirstAdmin(config: BeaconConfig, databaseUrl: string): Promise<void> {
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
