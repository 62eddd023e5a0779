import { randomUUID } from "node:crypto";
import type { Inform, InformResponse } from "@beacon/cwmp";
import type { Db } from "@beacon/db";
import { type AdmissionSettings, decideAdmission, type Principal } from "../cpe-auth/admission.ts";
import { requeueInterrupted } from "../tasks/task-queue.ts";
import { upsertInformDevice, writeInformRows } from "./device-registry.ts";
import type { InformFacts } from "./inform-facts.ts";
import type { SessionState } from "./session-state.ts";
import { closeStaleSessions, insertSession, type LiveSession } from "./session-store.ts";

export interface SessionSettings {
  /** Seconds a session may stay idle between two requests (BEACON_CWMP_SESSION_TIMEOUT). */
  timeoutSeconds: number;
  admission: AdmissionSettings;
}

export interface OpenSessionInput {
  inform: Inform;
  /** The CWMP namespace the CPE used; every reply of the session uses it too. */
  namespace: string;
  principal: Principal;
  /** The session cookie the CPE sent with this Inform: that session, if still open, was abandoned. */
  cookieSessionId: string | null;
  remoteAddress?: string;
  /** Tenant for devices seen for the first time. */
  tenantIdForNewDevices: string;
  now: Date;
}

export type OpenSessionResult =
  | { kind: "opened"; session: LiveSession; reply: InformResponse; deviceCreated: boolean }
  /** Another session of this device is live (TR-069 3.7.1: one at a time); answer 503 with Retry-After. */
  | { kind: "busy"; retryAfterSeconds: number }
  | { kind: "rejected"; reason: string };

class Abort extends Error {
  constructor(readonly result: Exclude<OpenSessionResult, { kind: "opened" }>) {
    super(result.kind);
  }
}

export function informFacts(inform: Inform): InformFacts {
  return {
    manufacturer: inform.deviceId.manufacturer,
    oui: inform.deviceId.oui,
    productClass: inform.deviceId.productClass,
    serialNumber: inform.deviceId.serialNumber,
    events: inform.event.map((e) => ({ code: e.eventCode, commandKey: e.commandKey })),
    parameters: inform.parameterList.map((p) => (p.type === undefined ? { name: p.name, value: p.value } : p)),
  };
}

/**
 * Starts a session from an Inform, in one transaction: registers or updates the device, applies the admission
 * policy, enforces one session per device, puts tasks an interrupted session left running back in the queue,
 * records events and parameter values, and stores the new session.
 */
export async function openSession(
  db: Db,
  input: OpenSessionInput,
  settings: SessionSettings,
): Promise<OpenSessionResult> {
  const facts = informFacts(input.inform);
  const now = input.now;
  try {
    return await db.$transaction(async (tx) => {
      const device = await upsertInformDevice(tx, facts, {
        tenantId: input.tenantIdForNewDevices,
        remoteAddress: input.remoteAddress,
        now,
      });
      const admission = decideAdmission(settings.admission, input.principal, facts, device);
      if (!admission.admit) throw new Abort({ kind: "rejected", reason: admission.reason });

      const { liveElsewhere } = await closeStaleSessions(tx, device.id, now, input.cookieSessionId);
      if (liveElsewhere) throw new Abort({ kind: "busy", retryAfterSeconds: Math.min(settings.timeoutSeconds, 30) });

      await requeueInterrupted(tx, device.id, now);
      await writeInformRows(tx, device, facts, now);
      const state: SessionState = {
        v: 1,
        tenantId: device.tenantId,
        dataModelRoot: device.dataModelRoot,
        oui: facts.oui,
        serialNumber: facts.serialNumber,
        cpeDone: false,
        provisionCredentials: admission.provisionCredentials,
        inFlight: null,
        requests: 0,
      };
      const session: LiveSession = { id: randomUUID(), deviceId: device.id, namespace: input.namespace, state };
      await insertSession(tx, session, now, settings.timeoutSeconds);
      const reply: InformResponse = { type: "InformResponse" };
      return { kind: "opened" as const, session, reply, deviceCreated: device.created };
    });
  } catch (error) {
    if (error instanceof Abort) return error.result;
    throw error;
  }
}
