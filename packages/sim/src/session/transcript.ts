import type { AcsMessage, AcsRequest, CpeMessage, EventStruct, Fault } from "@beacon/cwmp";

/** One HTTP POST of a session and what came back. */
export interface SessionExchange {
  /** What the device posted; { type: "Empty" } for the empty POST. */
  readonly sent: CpeMessage;
  /** Final HTTP status of the POST (after authentication rounds); 0 when no answer came. */
  readonly status: number;
  /** The decoded answer; { type: "Empty" } for 204 or an empty 200; undefined when it could not be read. */
  readonly received?: AcsMessage;
  /** Why the answer could not be read. */
  readonly decodeError?: string;
}

export type SessionOutcome =
  /** The ACS ended the session with 204 or an empty 200. */
  | "completed"
  /** Network error, unexpected status, authentication refused, unreadable answer, or ACS fault to Inform. */
  | "failed"
  /** The device dropped the connection on purpose (behaviour.dropAfterRequests). */
  | "dropped";

/** What happened in one CWMP session, for tests and benchmark reports. */
export interface SessionTranscript {
  readonly serialNumber: string;
  readonly startedAt: Date;
  readonly endedAt: Date;
  readonly url: string;
  readonly events: readonly EventStruct[];
  readonly retryCount: number;
  readonly outcome: SessionOutcome;
  readonly error?: string;
  /** Whether the ACS answered the Inform with InformResponse (events then count as delivered). */
  readonly informAccepted: boolean;
  /** Every HTTP status in order, including 401 challenges and redirects. */
  readonly httpStatuses: readonly number[];
  readonly exchanges: readonly SessionExchange[];
  /** ACS requests received, in order. */
  readonly requests: readonly AcsRequest[];
  /** Their types, e.g. ["GetParameterValues", "SetParameterValues"]. */
  readonly rpcs: readonly string[];
  /** Faults the device answered with. */
  readonly faults: readonly Fault[];
  /** Faults the ACS answered the device's own requests with. */
  readonly acsFaults: readonly Fault[];
}
