import type { Prisma } from "@beacon/db";
import { deviceSummary, EVENT, type InformFacts } from "./inform-facts.ts";

type Sql = Pick<Prisma.TransactionClient, "$queryRaw" | "$executeRaw">;

export interface RegisteredDevice {
  id: string;
  tenantId: string;
  dataModelRoot: string | null;
  cwmpUsername: string | null;
  /** True when this Inform created the device row. */
  created: boolean;
}

export interface InformContext {
  /** Tenant for a device seen for the first time. */
  tenantId: string;
  /** Address the Inform came from, used when the CPE reports no external IP parameter. */
  remoteAddress?: string;
  now: Date;
}

/**
 * Creates or updates the device an Inform describes and writes its events and parameter values: one statement
 * each, whatever the number of parameters, so that an Inform costs the same for every device. Run it inside the
 * session's transaction; the upsert holds the device row lock until commit, which serialises Informs of one
 * device.
 */
export async function recordInform(sql: Sql, facts: InformFacts, context: InformContext): Promise<RegisteredDevice> {
  const device = await upsertInformDevice(sql, facts, context);
  await writeInformRows(sql, device, facts, context.now);
  return device;
}

/** The device row of an Inform, created or updated; the first half of recordInform. */
export async function upsertInformDevice(
  sql: Sql,
  facts: InformFacts,
  context: InformContext,
): Promise<RegisteredDevice> {
  const summary = deviceSummary(facts.parameters);
  const codes = facts.events.map((e) => e.code);
  const bootAt = codes.includes(EVENT.boot) || codes.includes(EVENT.bootstrap) ? context.now : null;
  const externalIp = summary.externalIp ?? context.remoteAddress ?? null;
  const rows = await sql.$queryRaw<
    { id: string; tenantId: string; dataModelRoot: string | null; cwmpUsername: string | null; created: boolean }[]
  >`
    INSERT INTO "Device" AS d ("id", "tenantId", "oui", "productClass", "serialNumber", "manufacturer", "modelName",
      "softwareVersion", "hardwareVersion", "dataModelRoot", "connectionRequestUrl", "udpConnectionRequestAddress",
      "externalIp", "macAddress", "periodicInformInterval", "firstInformAt", "lastInformAt", "lastBootAt", "updatedAt")
    VALUES (gen_random_uuid(), ${context.tenantId}::uuid, ${facts.oui}, ${facts.productClass}, ${facts.serialNumber},
      ${facts.manufacturer}, ${summary.modelName}, ${summary.softwareVersion}, ${summary.hardwareVersion},
      ${summary.dataModelRoot}, ${summary.connectionRequestUrl}, ${summary.udpConnectionRequestAddress}, ${externalIp},
      ${summary.macAddress}, ${summary.periodicInformInterval}::int, ${context.now}::timestamptz, ${context.now}::timestamptz, ${bootAt}::timestamptz, ${context.now}::timestamptz)
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
      "updatedAt" = EXCLUDED."updatedAt"
    RETURNING d."id", d."tenantId", d."dataModelRoot", d."cwmpUsername", (d.xmax = 0) AS "created"`;
  return rows[0]!;
}

/** Events and parameter values of one Inform in a single round trip; the second half of recordInform. */
export async function writeInformRows(
  sql: Sql,
  device: Pick<RegisteredDevice, "id" | "created">,
  facts: InformFacts,
  now: Date,
): Promise<void> {
  const deviceId = device.id;
  // TR-069 3.7.1.5: 0 BOOTSTRAP means a fresh or reset CPE, so what we knew of its parameters is gone.
  if (!device.created && facts.events.some((e) => e.code === EVENT.bootstrap)) {
    await sql.$executeRaw`DELETE FROM "DeviceParameter" WHERE "deviceId" = ${deviceId}::uuid`;
  }
  const params = dedupeByName(facts.parameters);
  const eventCodes = facts.events.map((e) => e.code);
  const eventKeys = facts.events.map((e) => e.commandKey);
  await sql.$executeRaw`
    WITH events AS (
      INSERT INTO "DeviceEvent" ("deviceId", "code", "commandKey", "at")
      SELECT ${deviceId}::uuid, e.code, e.key, ${now}::timestamptz FROM unnest(${eventCodes}::text[], ${eventKeys}::text[]) AS e(code, key)
    )
    INSERT INTO "DeviceParameter" AS p ("deviceId", "name", "value", "type", "isObject", "updatedAt")
    SELECT ${deviceId}::uuid, v.name, v.value, v.type, false, ${now}::timestamptz
    FROM unnest(${params.map((p) => p.name)}::text[], ${params.map((p) => p.value)}::text[], ${params.map((p) => p.type ?? null)}::text[]) AS v(name, value, type)
    ON CONFLICT ("deviceId", "name") DO UPDATE SET
      "value" = EXCLUDED."value",
      "type" = COALESCE(EXCLUDED."type", p."type"),
      "updatedAt" = EXCLUDED."updatedAt"`;
}

/** ON CONFLICT cannot touch a row twice in one statement; a CPE repeating a name keeps its last value. */
export function dedupeByName<T extends { name: string }>(items: readonly T[]): T[] {
  const byName = new Map<string, T>();
  for (const item of items) if (item.name) byName.set(item.name, item);
  return [...byName.values()];
}
