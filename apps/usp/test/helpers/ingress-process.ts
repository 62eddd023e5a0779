import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..");

export interface IngressProcess {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * The CWMP ingress as `beacon start` runs it, in a process of its own on a free port: the CWMP devices' ACS and
 * the file server every device (CWMP or USP) fetches firmware from. Started from its path, not imported: apps do
 * not import one another.
 */
export async function startIngressProcess(env: {
  databaseUrl: string;
  dataDir: string;
  bootstrap: { username: string; password: string };
}): Promise<IngressProcess> {
  const port = await freePort();
  let output = "";
  const child: ChildProcess = spawn(
    process.execPath,
    ["--import", "tsx", join(repoRoot, "apps", "ingress", "src", "server.ts")],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        DATABASE_URL: env.databaseUrl,
        CWMP_PORT: String(port),
        CWMP_HOST: "127.0.0.1",
        BEACON_DATA_DIR: env.dataDir,
        BEACON_CWMP_BOOTSTRAP_USERNAME: env.bootstrap.username,
        BEACON_CWMP_BOOTSTRAP_PASSWORD: env.bootstrap.password,
        BEACON_CWMP_READ_NETWORK_MAPS: "false",
        BEACON_CWMP_COLLECT_METRICS: "false",
        BEACON_DB_MAX_CONNECTIONS: "4",
        LOG_LEVEL: process.env.INGRESS_TEST_LOG ?? "warn",
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the ingress exited (${child.exitCode}):\n${output}`);
    const healthy = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (healthy) break;
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`the ingress did not answer /healthz within 60 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    port,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
