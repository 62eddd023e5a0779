import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  applyMigrations,
  checkDatabase,
  createDb,
  type Db,
  MigrationChecksumMismatch,
  MigrationFailed,
  migrationsDir,
  withPgClient,
} from "@beacon/db";
import { EmbeddedPostgresFailed, startEmbeddedPostgres } from "@beacon/db/embedded";
import { type BeaconConfig, ConfigProblem } from "./config.ts";

export const EMBEDDED_DATABASE = "beacon";

export interface DatabaseHandle {
  url: string;
  /** "external", "embedded" (started by this process) or "shared" (the embedded server of a running Beacon). */
  source: "external" | "embedded" | "shared";
  stop: () => Promise<void>;
}

/**
 * The database a command talks to: DATABASE_URL when set; otherwise the embedded server under the data folder,
 * reusing the one a running `npm start` already has, or starting it for as long as the command needs it.
 */
export async function openDatabase(
  config: BeaconConfig,
  options: { allowShared?: boolean } = {},
): Promise<DatabaseHandle> {
  if (config.databaseUrl) {
    const state = await checkDatabase(config.databaseUrl);
    if (!state.ok) throw new ConfigProblem(`cannot use DATABASE_URL: ${state.error}`);
    return { url: config.databaseUrl, source: "external", stop: async () => {} };
  }
  const running = options.allowShared !== false ? runningEmbeddedUrl(config.dataDir) : undefined;
  if (running && (await checkDatabase(running)).ok) return { url: running, source: "shared", stop: async () => {} };
  let server: Awaited<ReturnType<typeof startEmbeddedPostgres>>;
  try {
    server = await startEmbeddedPostgres({ dataDir: config.dataDir });
  } catch (error) {
    if (error instanceof EmbeddedPostgresFailed) throw new ConfigProblem(error.message);
    throw error;
  }
  await ensureEmbeddedDatabase(config.dataDir, server.port);
  return { url: server.connectionString(EMBEDDED_DATABASE), source: "embedded", stop: server.stop };
}

/** The URL of the embedded server a running Beacon started on this data folder, if one runs. */
export function runningEmbeddedUrl(dataDir: string): string | undefined {
  const pidFile = join(dataDir, "pg", "postmaster.pid");
  const credentialsFile = join(dataDir, "pg-credentials.json");
  if (!existsSync(pidFile) || !existsSync(credentialsFile)) return undefined;
  // postmaster.pid: line 1 pid, line 4 port (PostgreSQL's documented layout).
  const lines = readFileSync(pidFile, "utf8").split("\n");
  const port = Number(lines[3]);
  if (!port) return undefined;
  return embeddedDatabaseUrl(dataDir, port);
}

/** The URL of Beacon's database on the embedded server of `dataDir` listening on `port`. */
export function embeddedDatabaseUrl(dataDir: string, port: number, database = EMBEDDED_DATABASE): string {
  const credentialsFile = join(dataDir, "pg-credentials.json");
  const { user, password } = JSON.parse(readFileSync(credentialsFile, "utf8")) as { user: string; password: string };
  return `postgresql://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

/** Creates Beacon's database on a fresh embedded cluster. */
export async function ensureEmbeddedDatabase(dataDir: string, port: number): Promise<void> {
  await withPgClient(embeddedDatabaseUrl(dataDir, port, "postgres"), async (client) => {
    const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [EMBEDDED_DATABASE]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${EMBEDDED_DATABASE}"`);
  });
}

export async function migrate(url: string) {
  try {
    return await applyMigrations(url, migrationsDir);
  } catch (error) {
    if (error instanceof MigrationChecksumMismatch || error instanceof MigrationFailed) {
      throw new ConfigProblem(error.message);
    }
    throw error;
  }
}

/** Runs `work` with a Prisma client on the configured database, then closes everything it opened. */
export async function withDb<T>(config: BeaconConfig, work: (db: Db) => Promise<T>): Promise<T> {
  const handle = await openDatabase(config);
  const db = createDb(handle.url, { maxConnections: 2, applicationName: "beacon-cli" });
  try {
    await migrate(handle.url);
    return await work(db);
  } finally {
    await db.$disconnect();
    await handle.stop();
  }
}
