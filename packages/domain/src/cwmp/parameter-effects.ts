import type { Prisma } from "@beacon/db";
import { dedupeByName, storedValue } from "./device-registry.ts";

type Sql = Pick<Prisma.TransactionClient, "$executeRaw">;

/** What a CPE's answer teaches us about its parameter tree. */
export interface ParameterEffects {
  /** Values read or written. */
  values?: { name: string; value: string; type?: string }[];
  /** Names and writability from GetParameterNames; objects end with ".". */
  names?: { name: string; writable: boolean }[];
  /** GetParameterNames of `path` with NextLevel false is the whole subtree: anything else below it is gone. */
  prune?: { path: string; keep: string[] };
  /** DeleteObject removed this object and everything below it. */
  deleteUnder?: string;
}

export function hasEffects(effects: ParameterEffects): boolean {
  return Boolean(effects.values?.length || effects.names?.length || effects.prune || effects.deleteUnder);
}

/** Applies effects with one statement per kind, whatever the number of parameters. */
export async function applyParameterEffects(sql: Sql, deviceId: string, effects: ParameterEffects, now: Date) {
  if (effects.deleteUnder) {
    await sql.$executeRaw`
      DELETE FROM "DeviceParameter" WHERE "deviceId" = ${deviceId}::uuid AND starts_with("name", ${effects.deleteUnder})`;
  }
  if (effects.prune) {
    await sql.$executeRaw`
      DELETE FROM "DeviceParameter" WHERE "deviceId" = ${deviceId}::uuid AND starts_with("name", ${effects.prune.path})
        AND "name" <> ALL(${effects.prune.keep}::text[])`;
  }
  const names = dedupeByName(effects.names ?? []);
  if (names.length) {
    await sql.$executeRaw`
      INSERT INTO "DeviceParameter" AS p ("deviceId", "name", "writable", "isObject", "updatedAt")
      SELECT ${deviceId}::uuid, n.name, n.writable, right(n.name, 1) = '.', ${now}::timestamptz
      FROM unnest(${names.map((n) => n.name)}::text[], ${names.map((n) => n.writable)}::boolean[]) AS n(name, writable)
      ON CONFLICT ("deviceId", "name") DO UPDATE SET
        "writable" = EXCLUDED."writable", "isObject" = EXCLUDED."isObject", "updatedAt" = EXCLUDED."updatedAt"`;
  }
  const values = dedupeByName(effects.values ?? []);
  if (values.length) {
    await sql.$executeRaw`
      INSERT INTO "DeviceParameter" AS p ("deviceId", "name", "value", "type", "isObject", "updatedAt")
      SELECT ${deviceId}::uuid, v.name, v.value, v.type, false, ${now}::timestamptz
      FROM unnest(${values.map((v) => v.name)}::text[], ${values.map(storedValue)}::text[], ${values.map((v) => v.type ?? null)}::text[]) AS v(name, value, type)
      ON CONFLICT ("deviceId", "name") DO UPDATE SET
        "value" = EXCLUDED."value", "type" = COALESCE(EXCLUDED."type", p."type"), "updatedAt" = EXCLUDED."updatedAt"`;
  }
}
