import type { Fault, SetParameterValuesResponse } from "@beacon/cwmp";
import type { AcsRequestType } from "./device-options.ts";
import type { ParameterStore } from "./parameter-store.ts";

/**
 * How real CPE stacks differ from the textbook, each seen against Beacon in a real implementation (an OpenWrt
 * CPE agent in C, a Python TR-069 client library, a TypeScript CPE simulator). Every field is off by default;
 * the simulator then behaves as TR-069 says.
 */
export interface CpeStackQuirks {
  /**
   * Which of several Digest challenges the stack answers towards the ACS. "preferred" (default): SHA-256, then
   * MD5, then Basic. "first": the first one. "last-md5": the last one, declaring its algorithm but computing
   * MD5 whatever it says (a Python client library that keeps the last WWW-Authenticate header).
   */
  readonly digestChallenge?: "preferred" | "first" | "last-md5";
  /** Content-Type of every SOAP message; default `text/xml; charset="utf-8"`. Sent as is, however malformed. */
  readonly contentType?: string;
  /** Content-Type of the empty POST: none by default; "" sends an empty `Content-Type:` header. */
  readonly emptyPostContentType?: string;
  /**
   * ManagementServer.Username/Password and ConnectionRequestUsername/Password written by SetParameterValues
   * take effect at the next restart only, and the answer says Status 1 (TR-069 A.3.2.1).
   */
  readonly credentialsAfterRestart?: boolean;
  /** RPCs the stack does not implement: fault 9000, and left out of GetRPCMethodsResponse. */
  readonly unsupportedRpcs?: readonly AcsRequestType[];
}

const CREDENTIALS = ["Username", "Password", "ConnectionRequestUsername", "ConnectionRequestPassword"];

/** New credential values a stack with credentialsAfterRestart holds until it restarts. */
export class CredentialsAtRestart {
  private readonly waiting = new Map<string, string>();

  constructor(private readonly managementServer: string) {}

  /** Values that wait for the restart. */
  get pending(): ReadonlyMap<string, string> {
    return this.waiting;
  }

  /**
   * Runs a SetParameterValues (`write`), then puts the credentials it changed back as they were and keeps
   * the new values for the restart; the answer then says Status 1.
   */
  intercept<T extends { answer: SetParameterValuesResponse | Fault }>(store: ParameterStore, write: () => T): T {
    const names = CREDENTIALS.map((n) => `${this.managementServer}${n}`);
    const before = new Map(names.map((n) => [n, store.value(n)]));
    const result = write();
    if (result.answer.type !== "SetParameterValuesResponse") return result;
    let deferred = false;
    for (const name of names) {
      const after = store.value(name);
      const old = before.get(name);
      if (after === old || after === undefined || old === undefined) continue;
      this.waiting.set(name, after);
      store.setValue(name, old);
      deferred = true;
    }
    return deferred ? { ...result, answer: { ...result.answer, status: 1 } } : result;
  }

  /** The restart: the waiting values take effect. */
  applyTo(store: ParameterStore): void {
    for (const [name, value] of this.waiting) store.setValue(name, value);
    this.waiting.clear();
  }
}
