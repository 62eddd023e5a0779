import type { LatencySummary } from "../latency.ts";
import type { Population } from "../fleet-identity.ts";
import type { SessionFailure } from "../cpe-session.ts";

/** What the bench process asks its driver process to do, over the IPC channel, and what comes back. */

/** Closed loop: `concurrency` sessions in flight, each device in turn, for `seconds`. */
export interface ClosedLoad {
  readonly kind: "closed";
  readonly concurrency: number;
  readonly seconds: number;
}

/** Open loop: sessions start at `rate` per second whatever the answers; latency counts from the planned start. */
export interface OpenLoad {
  readonly kind: "open";
  readonly rate: number;
  readonly seconds: number;
  /** Sessions beyond this many in flight are not started and count as dropped. */
  readonly maxInFlight: number;
}

export type DriverJob =
  | { readonly kind: "hello" }
  | {
      readonly kind: "sessions";
      readonly target: string;
      readonly population: Population;
      readonly load: ClosedLoad | OpenLoad;
    }
  | {
      readonly kind: "bootStorm";
      readonly target: string;
      readonly population: Population;
      readonly concurrency: number;
      /** Devices that afterwards open one session with their new credentials, and with the bootstrap one. */
      readonly verifySample: number;
    }
  | {
      readonly kind: "connectionRequests";
      readonly target: string;
      readonly population: Population;
      readonly concurrency: number;
      /** Resolve once this many sessions have answered an ACS request. */
      readonly expectedTasks: number;
      readonly timeoutMs: number;
    };

export interface Hello {
  /** http://127.0.0.1:<port>: the driver's connection-request listener; devices live under /cr/<serial>. */
  readonly connectionRequestBaseUrl: string;
  readonly pid: number;
}

export interface SessionRun {
  readonly sessions: number;
  readonly failures: Partial<Record<SessionFailure, number>>;
  /** Failed sessions, all kinds. */
  readonly errors: number;
  readonly seconds: number;
  readonly sessionsPerSecond: number;
  readonly httpRequests: number;
  readonly requestsPerSecond: number;
  /** Latency of the successful sessions, ms. */
  readonly latencyMs: LatencySummary;
  /** Open loop only. */
  readonly offeredRate?: number;
  readonly dropped?: number;
  /** One message per failure kind, for the report. */
  readonly sampleErrors: Partial<Record<SessionFailure, string>>;
}

export interface BootStormRun {
  readonly devices: number;
  readonly registered: number;
  /** From the first Inform to the last device holding its own credentials. */
  readonly seconds: number;
  readonly devicesPerSecond: number;
  readonly attempts: number;
  readonly retries: number;
  readonly failures: Partial<Record<SessionFailure, number>>;
  readonly httpRequests: number;
  readonly requestsPerSecond: number;
  /** Latency of each device's successful bootstrap session, ms. */
  readonly latencyMs: LatencySummary;
  readonly verify: { sampled: number; ownCredentialsAccepted: number; bootstrapRefused: number };
  readonly sampleErrors: Partial<Record<SessionFailure, string>>;
}

export interface ConnectionRequestRun {
  readonly connectionRequests: number;
  readonly sessions: number;
  readonly tasksAnswered: number;
  readonly byRpc: Record<string, number>;
  readonly failures: Partial<Record<SessionFailure, number>>;
  /** From the first connection request to the last task answered. */
  readonly seconds: number;
  readonly httpRequests: number;
  readonly latencyMs: LatencySummary;
  readonly timedOut: boolean;
  readonly sampleErrors: Partial<Record<SessionFailure, string>>;
}

export type DriverRequest = { readonly id: number; readonly job: DriverJob };
export type DriverReply = { readonly id: number; readonly ok: true; readonly result: unknown } | { readonly id: number; readonly ok: false; readonly error: string };
