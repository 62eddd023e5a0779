import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";

/**
 * An HTTP server the benchmark starts as a child process of its own (the ingress, the baseline), logs to a
 * file, readiness by polling a URL.
 */

export interface ServerProcess {
  readonly name: string;
  readonly pid: number;
  readonly url: string;
  readonly logFile: string;
  /** SIGTERM, then SIGKILL after 15 s; resolves with the exit code. */
  stop(): Promise<number | null>;
}

export interface ServerSpec {
  name: string;
  cwd: string;
  nodeArgs: string[];
  env: NodeJS.ProcessEnv;
  url: string;
  readyUrl: string;
  logFile: string;
  readyTimeoutMs?: number;
}

export async function startServerProcess(spec: ServerSpec): Promise<ServerProcess> {
  const log = openSync(spec.logFile, "a");
  const child: ChildProcess = spawn(process.execPath, spec.nodeArgs, {
    cwd: spec.cwd,
    env: spec.env,
    stdio: ["ignore", log, log],
  });
  closeSync(log);
  let exited: number | null | undefined;
  const exit = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => {
      exited = code;
      resolve(code);
    }),
  );
  const deadline = Date.now() + (spec.readyTimeoutMs ?? 60_000);
  for (;;) {
    if (exited !== undefined) {
      throw new Error(`${spec.name} exited (${exited}) before it was ready:\n${tail(spec.logFile)}`);
    }
    if (await isReady(spec.readyUrl)) break;
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`${spec.name} was not ready within ${spec.readyTimeoutMs ?? 60_000} ms:\n${tail(spec.logFile)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    name: spec.name,
    pid: child.pid!,
    url: spec.url,
    logFile: spec.logFile,
    stop: async () => {
      if (exited !== undefined) return exited;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      const code = await exit;
      clearTimeout(timer);
      return code;
    },
  };
}

async function isReady(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

/** Lines of a pino log at level error (50) or fatal (60). */
export function errorLines(file: string): string[] {
  try {
    return readFileSync(file, "utf8")
      .split("\n")
      .filter((line) => /"level":(50|60)[,}]/.test(line));
  } catch {
    return [];
  }
}

export function tail(file: string, lines = 20): string {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}
