import { Prisma } from "@beacon/db";
import type { CredentialUsed } from "../cpe-auth/admission.ts";
import { isCpeCredentialParameter } from "../secrets/secret-parameters.ts";
import { bootTimeOf, deviceSummary, EVENT, type InformFacts } from "./inform-facts.ts";

/**
 * The device registry's share of an Inform, as SQL fragments that open-session.ts puts into the two statements
 * of a session start: whatever the number of parameters, an Inform costs the same few round trips.
 */

export interface InformContext {
  /** Tenant for a device seen for the first time. */
  tenantId: string;
  /** Address the Inform came from, used when the CPE reports no external IP parameter. */
  remoteAddress?: string;
  now: Date;
  /** Which credential admitted this Inform; its own clears the previous credential's grace. */
  credential?: CredentialUsed;
}

/**
 * Creates or updates the device an Inform describes (columns from its well-known parameters; a value the Inform
 * lacks keeps the stored one); with `onlyIf`, only when that condition holds. RETURNING "id", "tenantId", "dataModelRoot", "provisionedAt", "periodicInformInterval",
 * "created". The row stays locked
 * until the transaction ends, which serialises session starts of one device.
 */
export function deviceUpsertSql(facts: InformFacts, context: InformContext, onlyIf?: Prisma.Sql): Prisma.Sql {
  const summary = deviceSummary(facts.parameters);
  const booted = facts.events.some((e) => e.code === EVENT.boot || e.code === EVENT.bootstrap);
  const bootAt = booted ? bootTimeOf(facts.parameters, context.now) : null;
  const credential = context.credential ?? null;
  const externalIp = summary.externalIp ?? context.remoteAddress ?? null;
  const now = context.now;
  return Prisma.sql`
    INSERT INTO "Device" AS d ("id", "tenantId", "oui", "productClass", "serialNumber", "manufacturer", "modelName",
      "softwareVersion", "hardwareVersion", "dataModelRoot", "connectionRequestUrl", "udpConnectionRequestAddress",
      "externalIp", "macAddress", "periodicInformInterval", "firstInformAt", "lastInformAt", "lastBootAt", "cwmpLastCredential", "updatedAt")
    ${onlyIf ? Prisma.sql`SELECT ` : Prisma.sql`VALUES (`}gen_random_uuid(), ${context.tenantId}::uuid, ${facts.oui}::text,
      ${facts.productClass}::text, ${facts.serialNumber}::text, ${facts.manufacturer}::text, ${summary.modelName}::text,
      ${summary.softwareVersion}::text, ${summary.hardwareVersion}::text, ${summary.dataModelRoot}::text,
      ${summary.connectionRequestUrl}::text, ${summary.udpConnectionRequestAddress}::text, ${externalIp}::text,
      ${summary.macAddress}::text, ${summary.periodicInformInterval}::int, ${now}::timestamptz, ${now}::timestamptz,
      ${bootAt}::timestamptz, ${credential}::text, ${now}::timestamptz${onlyIf ? Prisma.sql` WHERE ${onlyIf}` : Prisma.sql`)`}
    ON CONFLICT ("oui", "productClass", "serialNumber") DO UPDATE SET
      "manufacturer" = EXCLUDED."manufacturer",
      "modelName" = COALESCE(EXCLUDED."modelName", d."modelName"),
      "softwareVersion" = COALESCE(EXCLUDED."softwareVersion", d."softwareVersion"),
      "hardwareVersion" = COALESCE(EXCLUDED."hardwareVersion", d."hardwareVersion"),
      "dataModelRoot" = COALESCE(EXCLUDED."dataModelRoot", d."dataModelRoot"),
      "connectionRequestUrl" = COALESCE(EXCLUDED."connectionRequestUrl", d."connectionRequestUrl"),
      "udpConnectionRequestAddress" = COALESCE(EXCLUDED."udpConnectionRequestAddress", d."udpConnectionRequestAddress"),
      "externalIp" = COALESCE(EXCLUDED."externalIp", d."externalIp"),
      "macAddress" = COALESCE(EXCLUDED."macAddress", d."macAddress"),
      "periodicInformInterval" = COALESCE(EXCLUDED."periodicInformInterval", d."periodicInformInterval"),
      "firstInformAt" = COALESCE(d."firstInformAt", EXCLUDED."firstInformAt"),
      "lastInformAt" = EXCLUDED."lastInformAt",
      "lastBootAt" = COALESCE(EXCLUDED."lastBootAt", d."lastBootAt"),
      "cwmpLastCredential" = COALESCE(EXCLUDED."cwmpLastCredential", d."cwmpLastCredential"),
      "cwmpPreviousCredentialUntil" = CASE WHEN EXCLUDED."cwmpLastCredential" = 'own' THEN NULL
        ELSE d."cwmpPreviousCredentialUntil" END,
      "updatedAt" = EXCLUDED."updatedAt"
    RETURNING d."id", d."tenantId", d."dataModelRoot", d."provisionedAt", d."periodicInformInterval", (d.xmax = 0) AS "created"`;
}

/** TR-069 3.7.1.5: 0 BOOTSTRAP means a fresh or reset CPE, so what we knew of its parameters is gone. */
export function forgetsParameters(facts: InformFacts): boolean {
  return facts.events.some((e) => e.code === EVENT.bootstrap);
}

/**
 * Data-modifying CTEs ("events", "params") writing the Inform's events and parameter values for the device in
 * CTE `source` (one row with column "id"); nothing when `source` is empty.
 */
export function informRowsSql(source: string, facts: InformFacts, now: Date): Prisma.Sql {
  const from = Prisma.raw(`"${source}"`);
  const params = dedupeByName(facts.parameters);
  return Prisma.sql`
    events AS (
      INSERT INTO "DeviceEvent" ("deviceId", "code", "commandKey", "at")
      SELECT s."id", e.code, e.key, ${now}::timestamptz
      FROM ${from} s, unnest(${facts.events.map((e) => e.code)}::text[], ${facts.events.map((e) => e.commandKey)}::text[]) AS e(code, key)
    ),
    params AS (
      INSERT INTO "DeviceParameter" AS p ("deviceId", "name", "value", "type", "isObject", "updatedAt")
      SELECT s."id", v.name, v.value, v.type, false, ${now}::timestamptz
      FROM ${from} s, unnest(${params.map((p) => p.name)}::text[], ${params.map(storedValue)}::text[],
        ${params.map((p) => p.type ?? null)}::text[]) AS v(name, value, type)
      ON CONFLICT ("deviceId", "name") DO UPDATE SET
        "value" = EXCLUDED."value",
        "type" = COALESCE(EXCLUDED."type", p."type"),
        "updatedAt" = EXCLUDED."updatedAt"
      -- Most of an Inform's values are the same every time: leaving those rows alone spares a new row version,
      -- index entries and WAL per parameter per Inform. "updatedAt" of an Informed value is when it last changed.
      WHERE p."value" IS DISTINCT FROM EXCLUDED."value"
        OR (EXCLUDED."type" IS NOT NULL AND p."type" IS DISTINCT FROM EXCLUDED."type")
    )`;
}

/**
 * What Beacon keeps of a reported value: everything but the CPE's own management and connection-request
 * passwords, whose parameters are kept (they exist, and may be written) with no value.
 */
export function storedValue(parameter: { name: string; value: string }): string | null {
  return isCpeCredentialParameter(parameter.name) ? null : parameter.value;
}

/** ON CONFLICT cannot touch a row twice in one statement; a CPE repeating a name keeps its last value. */
export function dedupeByName<T extends { name: string }>(items: readonly T[]): T[] {
  const byName = new Map<string, T>();
  for (const item of items) if (item.name) byName.set(item.name, item);
  return [...byName.values()];
}
