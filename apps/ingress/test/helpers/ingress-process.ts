import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

const repositoryRoot = fileURLToPath(new URL("../../../../", import.meta.url));
const serverEntry = "apps/ingress/src/server.ts";

export interface IngressProcess {
  url: string;
  pid: number;
  /** What the process wrote to stdout and stderr so far. */
  output(): string;
  /** SIGTERM (graceful shutdown) or SIGKILL; resolves when the process has exited. */
  stop(signal?: "SIGTERM" | "SIGKILL"): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * The ingress as production runs it: `node --import tsx apps/ingress/src/server.ts` in a process of its own,
 * configured only through its environment, listening on a free port. Resolves once /healthz answers 200.
 */
export async function startIngressProcess(env: Record<string, string>, timeoutMs = 45_000): Promise<IngressProcess> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", serverEntry], {
    cwd: repositoryRoot,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      CWMP_HOST: "127.0.0.1",
      CWMP_PORT: String(port),
      LOG_LEVEL: "warn",
      // These tests follow sessions RPC by RPC; the network map's own tests turn its reads on.
      BEACON_CWMP_READ_NETWORK_MAPS: "false",
      BEACON_CWMP_COLLECT_METRICS: "false",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async (signal: "SIGTERM" | "SIGKILL" = "SIGTERM") => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the ingress process exited with ${child.exitCode}: ${output}`);
    try {
      const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      if (response.status === 200) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop("SIGKILL");
      throw new Error(`the ingress process did not become healthy within ${timeoutMs} ms: ${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url, pid: child.pid ?? 0, output: () => output, stop };
}
