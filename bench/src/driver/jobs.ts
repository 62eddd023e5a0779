import type { SessionFailure } from "../cpe-session.ts";
import type { Population } from "../fleet-identity.ts";
import type { LatencySummary } from "../latency.ts";

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
      /** The first session goes to this device of the population (then each in turn, wrapping). */
      readonly startAt?: number;
      readonly load: ClosedLoad | OpenLoad;
    }
  | {
      readonly kind: "bootStorm";
      readonly target: string;
      readonly population: Population;
      readonly concurrency: number;
      /** How many devices' new credentials to return, for verifyRotation. */
      readonly sample: number;
    }
  | {
      readonly kind: "verifyRotation";
      readonly target: string;
      readonly prefix: string;
      readonly devices: readonly RotatedDevice[];
    }
  | {
      readonly kind: "connectionRequests";
      readonly target: string;
      readonly population: Population;
      readonly concurrency: number;
      /** Resolve once this many connection-request sessions are over, successful or not. */
      readonly expectedSessions: number;
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
  readonly sampleErrors: Partial<Record<SessionFailure, string>>;
  /** Some devices with the credentials Beacon gave them. */
  readonly rotated: readonly RotatedDevice[];
}

export interface RotatedDevice {
  readonly index: number;
  readonly username: string;
  readonly password: string;
}

/** Devices of the storm informing again: with their own credentials (must work), the bootstrap one (must not). */
export interface RotationCheck {
  readonly sampled: number;
  readonly ownCredentialsAccepted: number;
  readonly bootstrapRefused: number;
}

export interface ConnectionRequestRun {
  readonly connectionRequests: number;
  readonly sessions: number;
  readonly tasksAnswered: number;
  /** Sessions in which Beacon sent nothing: the device was woken for a task it did not get. */
  readonly sessionsWithoutTask: number;
  readonly byRpc: Record<string, number>;
  readonly errors: number;
  readonly failures: Partial<Record<SessionFailure, number>>;
  /** From the first connection request to the last session's end. */
  readonly seconds: number;
  readonly httpRequests: number;
  readonly latencyMs: LatencySummary;
  readonly timedOut: boolean;
  readonly sampleErrors: Partial<Record<SessionFailure, string>>;
}

export type DriverRequest = { readonly id: number; readonly job: DriverJob };
export type DriverReply =
  | { readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly id: number; readonly ok: false; readonly error: string };
