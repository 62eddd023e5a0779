import type { CpeSessionResult, SessionFailure } from "../cpe-session.ts";
import { LatencyRecorder } from "../latency.ts";

/** Counts sessions, failures and HTTP requests, and records the latency of the successful ones. */
export class SessionTally {
  readonly latency = new LatencyRecorder();
  readonly failures: Partial<Record<SessionFailure, number>> = {};
  readonly sampleErrors: Partial<Record<SessionFailure, string>> = {};
  sessions = 0;
  errors = 0;
  httpRequests = 0;

  add(result: CpeSessionResult, ms: number): void {
    this.httpRequests += result.httpRequests;
    if (result.ok) {
      this.sessions++;
      this.latency.record(ms);
      return;
    }
    this.errors++;
    const failure = result.failure ?? "protocol";
    this.failures[failure] = (this.failures[failure] ?? 0) + 1;
    this.sampleErrors[failure] ??= result.detail ?? failure;
  }
}
