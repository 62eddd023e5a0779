import type { TaskInFlight } from "./task-rpc.ts";

/**
 * Everything a CWMP session remembers between two HTTP requests, stored in CwmpSession.state so that any
 * ingress process can serve the next request.
 */
export interface SessionState {
  v: 1;
  tenantId: string;
  dataModelRoot: string | null;
  oui: string;
  serialNumber: string;
  /** The CPE sent its empty POST: from now on the ACS sends requests (TR-069 3.7.1.4). */
  cpeDone: boolean;
  /** Beacon still owes this device its own credentials (bootstrap admission). */
  provisionCredentials: boolean;
  /**
   * The Inform did not carry PeriodicInformInterval and Beacon does not know it: read it in this session.
   * Optional: sessions stored before it existed lack it.
   */
  readInformInterval?: boolean;
  /**
   * Only the platform's shared credential spoke for the device: tasks that carry a secret wait for a session it
   * opens with its own credentials, so nothing secret reaches a device that merely replayed a serial number.
   */
  untrusted?: true;
  /** The ACS request awaiting the CPE's answer. */
  inFlight: InFlight | null;
  /** ACS requests sent so far; also makes each cwmp:ID unique within the session. */
  requests: number;
}

export type InFlight =
  | { kind: "task"; requestId: string; task: TaskInFlight & { attempts: number } }
  | { kind: "credentials"; requestId: string; credentials: PendingCredentials }
  | { kind: "informInterval"; requestId: string; name: string };

/** Credentials sent to the CPE; stored on the device once it confirms them. */
export interface PendingCredentials {
  username: string;
  ha1Md5: string;
  ha1Sha256: string;
  connReqUsername: string;
  connReqPassword: string;
}

export function isSessionState(value: unknown): value is SessionState {
  return typeof value === "object" && value !== null && (value as { v?: unknown }).v === 1;
}
