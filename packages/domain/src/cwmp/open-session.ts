import { randomUUID } from "node:crypto";
import type { Inform, InformResponse } from "@beacon/cwmp";
import { type Db, Prisma, queryRows } from "@beacon/db";
import {
  type AdmissionSettings,
  type BootstrapRecord,
  decideAdmission,
  type Principal,
} from "../cpe-auth/admission.ts";
import type { DigestAlgorithm } from "../cpe-auth/digest.ts";
import { raiseReenrollAlarm } from "../cpe-auth/reenrollment.ts";
import { requeueInterruptedSql } from "../tasks/task-queue.ts";
import { deviceUpsertSql, forgetsParameters, informRowsSql } from "./device-registry.ts";
import { bootTimeOf, EVENT, type InformFacts } from "./inform-facts.ts";
import type { SessionHooks } from "./session-hooks.ts";
import type { SessionState } from "./session-state.ts";
import { expiryOf, type LiveSession } from "./session-store.ts";

export interface SessionSettings {
  /** Seconds a session may stay idle between two requests (BEACON_CWMP_SESSION_TIMEOUT). */
  timeoutSeconds: number;
  admission: AdmissionSettings;
  /** Provisioning, monitoring, diagnostics...: see session-hooks.ts. */
  hooks?: SessionHooks;
}

export interface OpenSessionInput {
  inform: Inform;
  /** The CWMP namespace the CPE used; every reply of the session uses it too. */
  namespace: string;
  principal: Principal;
  /** The session cookie the CPE sent with this Inform: that session, if still open, was abandoned. */
  cookieSessionId: string | null;
  remoteAddress?: string;
  /** Tenant for devices seen for the first time (a domain's own enrollment credential overrides it). */
  tenantIdForNewDevices: string;
  now: Date;
}

/**
 * A Digest Authorization whose response has not been checked yet. openSession checks it in its own statement,
 * against the HA1 stored on the device the Inform names, and spends the nonce count there: an authenticated
 * periodic Inform then costs one round trip instead of two. Only a device's own credentials pass this way;
 * anything else (the bootstrap or an enrollment credential, a wrong password, another device's credentials, a
 * spent nonce count) comes back "unverified", having written nothing, and goes the long way
 * (authenticate, then openSession with the principal found).
 */
export interface DigestProof {
  username: string;
  algorithm: DigestAlgorithm;
  /** digestResponseSuffix: the response must be the hash of HA1 ":" suffix. */
  suffix: string;
  /** The CPE's response, lowercase hex. */
  response: string;
  nonce: string;
  count: number;
  nonceExpiresAt: Date;
}

export type OpenSessionResult =
  | { kind: "opened"; session: LiveSession; reply: InformResponse; deviceCreated: boolean }
  /** Another session of this device is live (TR-069 3.7.1: one at a time); answer 503 with Retry-After. */
  | { kind: "busy"; retryAfterSeconds: number }
  /** `held`: a known device asks to re-enroll; it shows in its domain until someone re-admits it. */
  | { kind: "rejected"; reason: string; held?: boolean }
  /** The DigestProof did not hold (see there): nothing was written. */
  | { kind: "unverified" };

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

const SESSION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Starts a session from an Inform, in one statement since this is the hot path of the whole ACS: register or
 * update the device, end its sessions that timed out or that this Inform abandons (it carries their cookie),
 * store the new session, put tasks an interrupted session left running back in the queue, and record the
 * Inform's events and parameter values. The unique index on CwmpSession ("deviceId", "live") refuses a second
 * live session of a device (TR-069 3.7.1), even from another process; the whole statement then undoes itself.
 */
export async function openSession(
  db: Db,
  input: OpenSessionInput | (Omit<OpenSessionInput, "principal"> & { proof: DigestProof }),
  settings: SessionSettings,
): Promise<OpenSessionResult> {
  const facts = informFacts(input.inform);
  const { now } = input;
  const proof = "proof" in input ? input.proof : null;
  // A proof that holds is a device's own credential, which admits that device (decideAdmission's "device" case).
  const principal: Principal = "principal" in input ? input.principal : { kind: "anonymous" };
  const onRecord = principal.kind === "bootstrap" ? await bootstrapRecord(db, facts) : null;
  const admission = proof
    ? ({ admit: true, provisionCredentials: false, credential: "own", trusted: true } as const)
    : decideAdmission(settings.admission, principal, facts, onRecord, now);
  if (!admission.admit) {
    if (admission.hold && onRecord) await holdReenrollment(db, onRecord.deviceId, now);
    return { kind: "rejected", reason: admission.reason, held: admission.hold };
  }
  const tenantIdForNewDevices =
    principal.kind === "bootstrap" && principal.tenantId ? principal.tenantId : input.tenantIdForNewDevices;

  const sessionId = randomUUID();
  const abandoned = input.cookieSessionId && SESSION_ID.test(input.cookieSessionId) ? input.cookieSessionId : null;
  const state: Omit<SessionState, "tenantId" | "dataModelRoot"> = {
    v: 1,
    oui: facts.oui,
    serialNumber: facts.serialNumber,
    cpeDone: false,
    provisionCredentials: admission.provisionCredentials,
    ...(admission.trusted ? {} : { untrusted: true as const }),
    inFlight: null,
    requests: 0,
  };
  // TR-069 3.7.1.5: after 0 BOOTSTRAP the stored parameters are void; those in the Inform are written anew.
  const wipe = forgetsParameters(facts)
    ? Prisma.sql`wiped AS (
        DELETE FROM "DeviceParameter" p USING dev
        WHERE p."deviceId" = dev."id" AND NOT dev."created" AND p."name" <> ALL(${facts.parameters.map((p) => p.name)}::text[])
      ),`
    : Prisma.empty;
  let rows: {
    spent: string | number;
    id: string | null;
    tenantId: string;
    dataModelRoot: string | null;
    provisionedAt: Date | null;
    readInformInterval: boolean;
    created: boolean;
  }[];
  const context = {
    tenantId: tenantIdForNewDevices,
    remoteAddress: input.remoteAddress,
    now,
    credential: admission.credential,
  };
  try {
    rows = await queryRows(
      db,
      Prisma.sql`
      WITH ${proof ? proofSql(proof, facts, now) : Prisma.empty}
      dev AS (${deviceUpsertSql(facts, context, proof ? Prisma.sql`EXISTS (SELECT 1 FROM spent)` : undefined)}),
      closed AS (
        UPDATE "CwmpSession" s SET "ended" = true, "live" = NULL FROM dev
        WHERE s."deviceId" = dev."id" AND s."live" AND (s."expiresAt" <= ${now}::timestamptz OR s."id" = ${abandoned}::uuid)
        RETURNING s."id"
      ),
      -- Reading "closed" to the end makes those sessions end before the new one is inserted.
      free AS (
        SELECT dev.*, (dev."periodicInformInterval" IS NULL AND dev."dataModelRoot" IS NOT NULL) AS "readInformInterval"
        FROM dev WHERE (SELECT count(*) FROM closed) >= 0
      ),
      session AS (
        INSERT INTO "CwmpSession" ("id", "deviceId", "namespace", "state", "createdAt", "lastSeenAt", "expiresAt")
        SELECT ${sessionId}::uuid, f."id", ${input.namespace},
          ${JSON.stringify(state)}::jsonb || jsonb_build_object('tenantId', f."tenantId", 'dataModelRoot', f."dataModelRoot",
            'readInformInterval', f."readInformInterval"),
          ${now}::timestamptz, ${now}::timestamptz, ${expiryOf(now, settings.timeoutSeconds)}::timestamptz
        FROM free f
      ),
      ${wipe}
      ${rebootedSql(facts, now)}
      ${requeueInterruptedSql("free", now)},
      ${informRowsSql("free", facts, now)}
      SELECT ${proof ? Prisma.sql`(SELECT count(*) FROM spent)` : Prisma.sql`1`} AS "spent",
        f."id", f."tenantId", f."dataModelRoot", f."provisionedAt", f."readInformInterval", f."created"
      FROM (SELECT 1) AS one LEFT JOIN free f ON true`,
    );
  } catch (error) {
    if (isLiveSessionConflict(error)) return { kind: "busy", retryAfterSeconds: Math.min(settings.timeoutSeconds, 30) };
    throw error;
  }
  const device = rows[0];
  if (!device?.id || Number(device.spent) !== 1) return { kind: "unverified" };
  const deviceId = device.id;
  await settings.hooks?.informStored({
    deviceId,
    created: device.created,
    provisionedAt: device.provisionedAt,
    facts,
    now,
    trusted: admission.trusted,
  });
  const session: LiveSession = {
    id: sessionId,
    deviceId,
    namespace: input.namespace,
    state: {
      ...state,
      tenantId: device.tenantId,
      dataModelRoot: device.dataModelRoot,
      readInformInterval: device.readInformInterval,
    },
  };
  return { kind: "opened", session, reply: { type: "InformResponse" }, deviceCreated: device.created };
}

/**
 * DigestProof's check, as the CTEs "owner" (the device the Inform names, if the username is its own and the
 * response matches its stored HA1) and "spent" (the nonce count, spent only then). The hashes of the two
 * responses are compared rather than the responses: how long an equality takes then tells nothing about the
 * expected response.
 */
function proofSql(proof: DigestProof, facts: InformFacts, now: Date): Prisma.Sql {
  const matches =
    proof.algorithm === "MD5"
      ? Prisma.sql`md5(md5(o."cwmpHa1Md5" || ':' || ${proof.suffix}::text)) = md5(${proof.response}::text)`
      : Prisma.sql`sha256(convert_to(encode(sha256(convert_to(o."cwmpHa1Sha256" || ':' || ${proof.suffix}::text, 'UTF8')), 'hex'), 'UTF8'))
          = sha256(convert_to(${proof.response}::text, 'UTF8'))`;
  return Prisma.sql`
    owner AS (
      SELECT o."id" FROM "Device" o
      WHERE o."cwmpUsername" = ${proof.username}::text AND o."oui" = ${facts.oui}::text
        AND o."productClass" = ${facts.productClass}::text AND o."serialNumber" = ${facts.serialNumber}::text AND ${matches}
    ),
    spent AS (
      INSERT INTO "DigestNonce" ("nonce", "lastCount", "createdAt", "expiresAt")
      SELECT ${proof.nonce}::text, ${proof.count}::int, ${now}::timestamptz, ${proof.nonceExpiresAt}::timestamptz FROM owner
      ON CONFLICT ("nonce") DO UPDATE SET "lastCount" = EXCLUDED."lastCount"
      WHERE "DigestNonce"."lastCount" < EXCLUDED."lastCount"
      RETURNING 1
    ),`;
}

/**
 * The stored device a bootstrap-credential Inform claims to be. A FactoryReset restores the CPE's factory
 * ManagementServer.Username/Password, so a device Beacon itself reset since its last Inform comes back with
 * 0 BOOTSTRAP on the bootstrap credential, and is given credentials of its own again. One reset in the field
 * comes back the same way: it is re-admitted once someone (or its domain's policy) says so.
 */
async function bootstrapRecord(db: Db, facts: InformFacts): Promise<(BootstrapRecord & { deviceId: string }) | null> {
  const device = await db.device.findUnique({
    where: {
      oui_productClass_serialNumber: {
        oui: facts.oui,
        productClass: facts.productClass,
        serialNumber: facts.serialNumber,
      },
    },
    select: {
      id: true,
      cwmpUsername: true,
      lastInformAt: true,
      cwmpPreviousCredentialUntil: true,
      reenrollApprovedAt: true,
      tenant: { select: { autoReadmit: true } },
    },
  });
  if (!device) return null;
  const bootstrapEvent = forgetsParameters(facts);
  const record = {
    deviceId: device.id,
    cwmpUsername: device.cwmpUsername,
    previousCredentialUntil: device.cwmpPreviousCredentialUntil,
    bootstrapEvent,
    readmit: device.reenrollApprovedAt !== null || device.tenant.autoReadmit,
  };
  if (!device.cwmpUsername || !bootstrapEvent || !device.lastInformAt) return { ...record, resetByBeacon: false };
  const reset = await db.task.findFirst({
    where: { deviceId: device.id, kind: "factoryReset", state: "done", finishedAt: { gte: device.lastInformAt } },
    select: { id: true },
  });
  return { ...record, resetByBeacon: reset !== null };
}

/** A known device asks to re-enroll: it is marked, and an alarm tells its domain (once, until it is re-admitted). */
async function holdReenrollment(db: Db, deviceId: string, now: Date): Promise<void> {
  const marked = await db.device.updateMany({
    where: { id: deviceId, reenrollRequestedAt: null },
    data: { reenrollRequestedAt: now },
  });
  if (marked.count) await raiseReenrollAlarm(db, deviceId, now);
}

/**
 * TR-069 A.3.2.6: a Reboot is done when the device is back, which its "M Reboot" (with the CommandKey Beacon
 * gave, the task's id) and "1 BOOT" Inform says; RebootResponse only promised it. Every reboot task of the
 * device waiting for that ends, with the device's boot time (some stacks drop M Reboot but all send 1 BOOT).
 */
function rebootedSql(facts: InformFacts, now: Date): Prisma.Sql {
  const reboot = facts.events.find((e) => e.code === EVENT.mReboot);
  if (!reboot && !facts.events.some((e) => e.code === EVENT.boot)) return Prisma.empty;
  const bootTime = bootTimeOf(facts.parameters, now).toISOString();
  return Prisma.sql`rebooted AS (
    UPDATE "Task" t SET "state" = 'done', "finishedAt" = ${now}::timestamptz,
      "result" = (t."result" - 'awaiting') || jsonb_build_object('bootTime', ${bootTime}::text, 'commandKey', ${reboot?.commandKey ?? null}::text)
    FROM free f
    WHERE t."deviceId" = f."id" AND t."kind" = 'reboot' AND t."state" = 'running'
      AND t."result" IS NOT NULL AND t."result"->>'awaiting' = 'M Reboot'
  ),`;
}

function isLiveSessionConflict(error: unknown): boolean {
  const text = `${(error as Error)?.message ?? ""} ${JSON.stringify((error as { meta?: unknown })?.meta ?? {})}`;
  return text.includes("CwmpSession_deviceId_live_key");
}
