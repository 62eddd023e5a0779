import { readFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The state of Beacon's processes as `beacon start` keeps it: written by its supervisor after every change (a
 * child started, died, restarted; an alarm raised or cleared), read by the console's status page. A file in the
 * data folder rather than a table, so that it tells the truth while the database itself is down.
 */
export interface RunStatus {
  supervisorPid: number;
  startedAt: string;
  state: "starting" | "running" | "stopping";
  children: RunStatusChild[];
  alarms: { key: string; message: string; since: string }[];
  events: RunStatusEvent[];
}

export interface RunStatusChild {
  key: string;
  name: string;
  pid: number | null;
  state: "running" | "restarting" | "stopped";
  startedAt: string | null;
  restarts: number;
}

export interface RunStatusEvent {
  at: string;
  child: string;
  kind: "exited" | "restarted" | "serving" | "gave-up" | "alarm" | "alarm-cleared";
  message: string;
}

export function runStatusPath(dataDir: string): string {
  return join(dataDir, "run", "status.json");
}

/** The last status written, or null when no `beacon start` runs on this data folder (or it is unreadable). */
export function readRunStatus(dataDir: string): RunStatus | null {
  try {
    return JSON.parse(readFileSync(runStatusPath(dataDir), "utf8")) as RunStatus;
  } catch {
    return null;
  }
}
