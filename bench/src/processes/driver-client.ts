import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type {
  BootStormRun,
  ConnectionRequestRun,
  DriverJob,
  DriverReply,
  Hello,
  RotationCheck,
  SessionRun,
} from "../driver/jobs.ts";

const DRIVER = fileURLToPath(new URL("../driver/driver.ts", import.meta.url));

type ResultOf<J extends DriverJob["kind"]> = J extends "hello"
  ? Hello
  : J extends "sessions"
    ? SessionRun
    : J extends "bootStorm"
      ? BootStormRun
      : J extends "verifyRotation"
        ? RotationCheck
        : ConnectionRequestRun;

/** The driver child process and a typed call per job. */
export interface DriverClient {
  readonly pid: number;
  readonly connectionRequestBaseUrl: string;
  run<J extends DriverJob>(job: J): Promise<ResultOf<J["kind"]>>;
  stop(): Promise<void>;
}

export async function startDriver(options: { reuseConnections: boolean }): Promise<DriverClient> {
  const child: ChildProcess = fork(DRIVER, options.reuseConnections ? ["--reuse-connections"] : [], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    serialization: "advanced",
  });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  child.on("message", (reply: DriverReply) => {
    const waiter = pending.get(reply.id);
    if (!waiter) return;
    pending.delete(reply.id);
    if (reply.ok) waiter.resolve(reply.result);
    else waiter.reject(new Error(`driver: ${reply.error}`));
  });
  child.on("exit", (code, signal) => {
    for (const waiter of pending.values()) waiter.reject(new Error(`the driver exited (${signal ?? code})`));
    pending.clear();
  });

  const run = <J extends DriverJob>(job: J) =>
    new Promise<ResultOf<J["kind"]>>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.send({ id, job });
    });

  const hello = await run({ kind: "hello" });
  return {
    pid: hello.pid,
    connectionRequestBaseUrl: hello.connectionRequestBaseUrl,
    run,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.disconnect();
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
