import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { createDb } from "@beacon/db";
import { ensureFirstAdmin } from "@beacon/domain";
import { buildConsoleIfNeeded, generatePrismaClient } from "../build.ts";
import type { BeaconConfig } from "../config.ts";
import { migrate, openDatabase } from "../database.ts";
import { assertPortFree } from "../ports.ts";
import { repoRoot } from "../repo.ts";
import { loadOrCreateSecrets } from "../secrets.ts";

const log = (line: string) => process.stdout.write(`beacon: ${line}\n`);

/**
 * `npm start`: PostgreSQL (embedded unless DATABASE_URL), migrations, first admin, console build, then the console
 * and the CWMP ingress as child processes until Ctrl-C or SIGTERM.
 */
export async function start(config: BeaconConfig): Promise<number> {
  await assertPortFree(config.consolePort, "CONSOLE_PORT");
  await assertPortFree(config.cwmpPort, "CWMP_PORT");
  if (config.consolePort === config.cwmpPort) {
    throw new Error(`CONSOLE_PORT and CWMP_PORT are both ${config.consolePort}; give them different ports`);
  }

  const database = await openDatabase(config, { allowShared: false });
  const children: ChildProcess[] = [];
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log("stopping…");
    await Promise.all(children.map((child) => terminate(child)));
    await database.stop();
    log("stopped");
    process.exit(code);
  };
  process.on("SIGINT", () => void stopAll(0));
  process.on("SIGTERM", () => void stopAll(0));

  try {
    log(
      database.source === "external" ? "using the database at DATABASE_URL" : `PostgreSQL data in ${config.dataDir}/pg`,
    );
    const report = await migrate(database.url);
    if (report.applied.length) log(`applied migrations: ${report.applied.join(", ")}`);

    const db = createDb(database.url, { maxConnections: 2, applicationName: "beacon-start" });
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
    await database.stop();
    throw error;
  }

  const secrets = loadOrCreateSecrets(config.dataDir);
  const bootstrapUsername = config.cwmpBootstrapUsername ?? "beacon";
  const bootstrapPassword = config.cwmpBootstrapPassword ?? secrets.cwmpBootstrapPassword;
  const env = {
    ...process.env,
    DATABASE_URL: database.url,
    BEACON_DATA_DIR: config.dataDir,
    CWMP_PORT: String(config.cwmpPort),
    // Both programs refuse connection requests to Beacon's own ports.
    CONSOLE_PORT: String(config.consolePort),
    NEXTAUTH_SECRET: config.nextAuthSecret ?? secrets.nextAuthSecret,
    NEXTAUTH_URL: config.nextAuthUrl ?? `http://localhost:${config.consolePort}`,
    BEACON_CWMP_BOOTSTRAP_USERNAME: bootstrapUsername,
    BEACON_CWMP_BOOTSTRAP_PASSWORD: bootstrapPassword,
    NEXT_TELEMETRY_DISABLED: "1",
    NODE_ENV: "production",
  };
  const supervise = (name: string, child: ChildProcess) => {
    children.push(child);
    child.on("exit", (code, signal) => {
      if (stopping) return;
      log(`${name} exited (${signal ?? `code ${code}`}); stopping Beacon`);
      void stopAll(1);
    });
  };
  supervise(
    "the CWMP ingress",
    spawn(process.execPath, ["--import", "tsx", join(repoRoot, "apps", "ingress", "src", "server.ts")], {
      cwd: repoRoot,
      env,
      stdio: "inherit",
    }),
  );
  supervise(
    "the console",
    spawn(
      process.execPath,
      [join(repoRoot, "node_modules", "next", "dist", "bin", "next"), "start", "-p", String(config.consolePort)],
      { cwd: join(repoRoot, "apps", "console"), env, stdio: "inherit" },
    ),
  );

  await Promise.all([
    waitForHealth(`http://127.0.0.1:${config.cwmpPort}/healthz`),
    waitForHealth(`http://127.0.0.1:${config.consolePort}/api/health`),
  ]);
  log(`console  http://localhost:${config.consolePort}`);
  log(`CWMP     http://localhost:${config.cwmpPort}/  (point your CPEs' ManagementServer.URL here)`);
  if (!config.cwmpBootstrapPassword) {
    log(
      `CPE bootstrap credential: ${bootstrapUsername} / ${bootstrapPassword} (kept in ${config.dataDir}/secrets.json;`,
    );
    log("  each CPE gets credentials of its own on first contact; set BEACON_CWMP_BOOTSTRAP_PASSWORD to choose it)");
  }
  log("Beacon is running; Ctrl-C stops it");
  return new Promise<number>(() => {});
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

function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
