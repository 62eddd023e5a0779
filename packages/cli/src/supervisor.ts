import { type ChildProcess, type SpawnOptions, spawn } from "node:child_process";
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { RunStatus, RunStatusEvent } from "@beacon/db";

/** A process the supervisor started; `exited` settles when it ends, however it ends. */
export interface RunningChild {
  pid: number;
  exited: Promise<ExitStatus>;
  stop: () => Promise<void>;
}

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ChildSpec {
  /** Short id for the status file: "postgres", "ingress", "console", "worker". */
  key: string;
  /** What the log says: "the CWMP ingress". */
  name: string;
  start: () => Promise<RunningChild>;
  /** Answers 2xx once the child serves again; the supervisor logs how long the outage lasted. */
  healthUrl?: string;
  /** Stopped after the others (the database, which they need to finish their work). */
  stopLast?: boolean;
}

export type SupervisorEvent = RunStatusEvent;
export type SupervisorStatus = RunStatus;

export interface SupervisorOptions {
  /** Restarts of one child within `windowMs` past which Beacon stops. */
  restartLimit: number;
  windowMs?: number;
  /** Where the status is written for the console's status page (atomically, after every change). */
  statusFile?: string;
  log: (line: string) => void;
  /** Called once when a child exhausted its restarts; the caller stops everything. */
  onGiveUp: (message: string) => void;
  /** First restart delay; doubled for each quick death in a row, up to `maxDelayMs`. */
  firstDelayMs?: number;
  maxDelayMs?: number;
}

/** A child that ran this long before dying is restarted without waiting: it was not crash-looping. */
const STABLE_AFTER_MS = 30_000;
const KEPT_EVENTS = 50;

interface Slot {
  spec: ChildSpec;
  running: RunningChild | null;
  startedAt: number | null;
  restarts: number[];
  quickDeaths: number;
  timer: NodeJS.Timeout | null;
}

/**
 * Keeps Beacon's processes running: each child that dies is restarted after a short backoff, until one dies
 * `restartLimit` times within ten minutes; then `onGiveUp` is called with a sentence saying which and why. Every
 * exit and restart is logged with its reason and kept in the status file the console's status page reads.
 */
export class Supervisor {
  private readonly slots: Slot[] = [];
  private readonly status: SupervisorStatus;
  private stopping = false;

  constructor(private readonly options: SupervisorOptions) {
    this.status = {
      supervisorPid: process.pid,
      startedAt: new Date().toISOString(),
      state: "starting",
      children: [],
      alarms: [],
      events: [],
    };
  }

  /** Starts a child and supervises it from then on; rejects if its first start fails (nothing to restart yet). */
  async add(spec: ChildSpec): Promise<void> {
    const slot: Slot = { spec, running: null, startedAt: null, restarts: [], quickDeaths: 0, timer: null };
    this.slots.push(slot);
    await this.launch(slot);
  }

  markRunning(): void {
    this.status.state = "running";
    this.writeStatus();
  }

  pidOf(key: string): number | undefined {
    return this.slots.find((slot) => slot.spec.key === key)?.running?.pid;
  }

  /** Raises (message) or clears (null) an alarm, e.g. "the database cannot write"; logged once per change. */
  alarm(key: string, message: string | null): void {
    const existing = this.status.alarms.find((alarm) => alarm.key === key);
    if (message && existing?.message === message) return;
    if (!message && !existing) return;
    this.status.alarms = this.status.alarms.filter((alarm) => alarm.key !== key);
    if (message) {
      this.status.alarms.push({ key, message, since: new Date().toISOString() });
      this.options.log(`ALARM: ${message}`);
      this.record(key, "alarm", message);
    } else {
      this.options.log(`alarm cleared: ${existing?.message}`);
      this.record(key, "alarm-cleared", `cleared: ${existing?.message}`);
    }
  }

  /** Stops every child (the `stopLast` ones after the others); no restart happens from now on. */
  async stopAll(): Promise<void> {
    this.stopping = true;
    this.status.state = "stopping";
    this.writeStatus();
    for (const slot of this.slots) if (slot.timer) clearTimeout(slot.timer);
    const stop = (slots: Slot[]) => Promise.all(slots.map((slot) => slot.running?.stop()));
    await stop(this.slots.filter((slot) => !slot.spec.stopLast));
    await stop(this.slots.filter((slot) => slot.spec.stopLast));
    for (const slot of this.slots) slot.running = null;
    this.writeStatus();
  }

  private async launch(slot: Slot): Promise<void> {
    const running = await slot.spec.start();
    slot.running = running;
    slot.startedAt = Date.now();
    this.writeStatus();
    void running.exited.then((status) => {
      if (slot.running !== running) return;
      slot.running = null;
      if (!this.stopping) this.onExit(slot, describeExit(status));
    });
  }

  private onExit(slot: Slot, reason: string): void {
    const now = Date.now();
    const diedAt = now;
    slot.restarts = slot.restarts.filter((at) => now - at < (this.options.windowMs ?? 10 * 60_000));
    if (slot.restarts.length >= this.options.restartLimit) {
      const minutes = Math.round((this.options.windowMs ?? 600_000) / 60_000);
      const message = `${slot.spec.name} ${reason}: it stopped ${slot.restarts.length + 1} times within ${minutes} minutes, more than the ${this.options.restartLimit} restarts allowed (BEACON_RESTART_LIMIT); giving up and stopping Beacon (its last output is above; fix the cause and start Beacon again)`;
      this.record(slot.spec.key, "gave-up", message);
      this.options.onGiveUp(message);
      return;
    }
    const ranFor = slot.startedAt === null ? 0 : now - slot.startedAt;
    slot.quickDeaths = ranFor >= STABLE_AFTER_MS ? 0 : slot.quickDeaths + 1;
    const first = this.options.firstDelayMs ?? 250;
    const delay = Math.min(this.options.maxDelayMs ?? 15_000, first * 2 ** Math.max(0, slot.quickDeaths - 1));
    slot.restarts.push(now);
    const message = `${slot.spec.name} ${reason}; restarting it in ${formatSeconds(delay)} (restart ${slot.restarts.length} of ${this.options.restartLimit} allowed within 10 minutes)`;
    this.options.log(message);
    this.record(slot.spec.key, "exited", message);
    slot.timer = setTimeout(() => {
      slot.timer = null;
      if (this.stopping) return;
      this.launch(slot).then(
        () => {
          this.options.log(`${slot.spec.name} restarted (pid ${slot.running?.pid})`);
          this.record(slot.spec.key, "restarted", `restarted as pid ${slot.running?.pid}`);
          if (slot.spec.healthUrl) void this.announceServing(slot, diedAt);
        },
        (error: unknown) => {
          if (this.stopping) return;
          this.onExit(slot, `could not start again (${(error as Error).message})`);
        },
      );
    }, delay);
    this.writeStatus();
  }

  private async announceServing(slot: Slot, diedAt: number): Promise<void> {
    const url = slot.spec.healthUrl;
    if (!url) return;
    const running = slot.running;
    while (!this.stopping && slot.running === running) {
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
        await response.arrayBuffer();
        if (response.ok) {
          const message = `${slot.spec.name} serves again, ${formatSeconds(Date.now() - diedAt)} after it stopped`;
          this.options.log(message);
          this.record(slot.spec.key, "serving", message);
          return;
        }
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  private record(child: string, kind: SupervisorEvent["kind"], message: string): void {
    this.status.events.push({ at: new Date().toISOString(), child, kind, message });
    if (this.status.events.length > KEPT_EVENTS) this.status.events.shift();
    this.writeStatus();
  }

  private writeStatus(): void {
    this.status.children = this.slots.map((slot) => ({
      key: slot.spec.key,
      name: slot.spec.name,
      pid: slot.running?.pid ?? null,
      state: slot.running ? "running" : this.stopping ? "stopped" : "restarting",
      startedAt: slot.running && slot.startedAt ? new Date(slot.startedAt).toISOString() : null,
      restarts: slot.restarts.length,
    }));
    const file = this.options.statusFile;
    if (!file) return;
    try {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(`${file}.tmp`, JSON.stringify(this.status, null, 2));
      renameSync(`${file}.tmp`, file);
    } catch {
      // A full or read-only disk: the storage alarm says so; the supervisor keeps its state in memory.
    }
  }
}

/** A Node.js (or any) program as a supervised child: SIGTERM to stop, SIGKILL after `graceMs`. */
export function spawnChild(
  command: string,
  args: string[],
  options: SpawnOptions & { graceMs?: number },
): Promise<RunningChild> {
  const child: ChildProcess = spawn(command, args, { stdio: "inherit", ...options });
  const exited = new Promise<ExitStatus>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("spawn", () =>
      resolve({
        pid: child.pid ?? 0,
        exited,
        stop: async () => {
          if (child.exitCode !== null || child.signalCode !== null) return;
          const timer = setTimeout(() => child.kill("SIGKILL"), options.graceMs ?? 10_000);
          child.kill("SIGTERM");
          await exited;
          clearTimeout(timer);
        },
      }),
    );
  });
}

export function describeExit(status: ExitStatus): string {
  if (status.signal) return `was killed (${status.signal})`;
  return `exited with code ${status.code}`;
}

function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}
