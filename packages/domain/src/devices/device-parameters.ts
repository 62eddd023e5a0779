import { appendAudit } from "../audit/audit-trail.ts";
import { NotFound } from "../errors.ts";
import { isSecretParameter, shownValue } from "../secrets/secret-parameters.ts";
import { authorize, type TenantAccess } from "../tenancy/tenant-access.ts";
import type { ScopedDb } from "../tenancy/tenant-scope.ts";
import { reachableDevice } from "./get-device.ts";

export interface ParameterNode {
  /** Full path; objects end with a dot (TR-069 A.3.2.1 partial path). */
  name: string;
  /** The last segment, as shown in the tree. */
  label: string;
  isObject: boolean;
  /** Masked ("••••") when the parameter is a secret: reveal it with revealParameter. */
  value: string | null;
  /** A password, passphrase or key (secret-parameters.ts). */
  secret: boolean;
  type: string | null;
  writable: boolean | null;
  updatedAt: Date | null;
}

const collator = new Intl.Collator("en", { numeric: true });

/**
 * The direct children of `prefix` ("" for the roots), built from the stored parameters below it, so the tree
 * loads one level at a time.
 */
export async function browseParameters(
  db: ScopedDb,
  access: TenantAccess,
  input: { deviceId: string; prefix: string },
): Promise<ParameterNode[]> {
  const device = await reachableDevice(db, input.deviceId);
  authorize(access, "device.read", device.tenant);
  const prefix = input.prefix && !input.prefix.endsWith(".") ? `${input.prefix}.` : input.prefix;
  const rows = await db.deviceParameter.findMany({
    where: { deviceId: device.id, ...(prefix ? { name: { startsWith: prefix } } : {}) },
    select: { name: true, value: true, type: true, writable: true, isObject: true, updatedAt: true },
  });
  const children = new Map<string, ParameterNode>();
  for (const row of rows) {
    const rest = row.name.slice(prefix.length);
    if (!rest) continue;
    const dot = rest.indexOf(".");
    const isObject = dot !== -1 && dot < rest.length - 1 ? true : rest.endsWith(".");
    const segment = dot === -1 ? rest : rest.slice(0, dot);
    const name = `${prefix}${segment}${isObject ? "." : ""}`;
    const exact = row.name === name;
    const known = children.get(name);
    if (known && !exact) continue;
    children.set(name, {
      name,
      label: segment,
      isObject,
      value: exact && !isObject ? shownValue(name, row.value) : null,
      secret: !isObject && isSecretParameter(name),
      type: exact ? row.type : null,
      writable: exact ? row.writable : null,
      updatedAt: exact ? row.updatedAt : null,
    });
  }
  return [...children.values()].sort((a, b) => collator.compare(a.label, b.label));
}

export const PARAMETER_SEARCH_LIMIT = 200;

/** Leaf parameters whose name or value contains `query`, any case. */
export async function searchParameters(
  db: ScopedDb,
  access: TenantAccess,
  input: { deviceId: string; query: string },
): Promise<{ matches: ParameterNode[]; truncated: boolean }> {
  const device = await reachableDevice(db, input.deviceId);
  authorize(access, "device.read", device.tenant);
  const query = input.query.trim();
  if (!query) return { matches: [], truncated: false };
  const rows = await db.deviceParameter.findMany({
    where: {
      deviceId: device.id,
      isObject: false,
      OR: [{ name: { contains: query, mode: "insensitive" } }, { value: { contains: query, mode: "insensitive" } }],
    },
    select: { name: true, value: true, type: true, writable: true, updatedAt: true },
    orderBy: { name: "asc" },
    take: PARAMETER_SEARCH_LIMIT + 1,
  });
  const lowered = query.toLowerCase();
  // A secret found by its value alone would give the value away, one guess at a time.
  const found = rows.filter((row) => !isSecretParameter(row.name) || row.name.toLowerCase().includes(lowered));
  const matches = found.slice(0, PARAMETER_SEARCH_LIMIT).map((row) => ({
    ...row,
    value: shownValue(row.name, row.value),
    secret: isSecretParameter(row.name),
    label: row.name.split(".").filter(Boolean).pop() ?? row.name,
    isObject: false,
  }));
  return { matches, truncated: rows.length > PARAMETER_SEARCH_LIMIT };
}

/**
 * The stored value of one secret parameter, for someone whose role on the device's domain may reveal secrets;
 * each reveal is audited (which parameter, never the value).
 */
export async function revealParameter(
  db: ScopedDb,
  access: TenantAccess,
  input: { deviceId: string; name: string },
): Promise<{ name: string; value: string | null }> {
  const device = await reachableDevice(db, input.deviceId);
  authorize(access, "secret.reveal", device.tenant);
  const row = await db.deviceParameter.findFirst({
    where: { deviceId: device.id, name: input.name, isObject: false },
    select: { name: true, value: true },
  });
  if (!row) throw new NotFound("parameter");
  await appendAudit(db, {
    tenantId: device.tenantId,
    actorId: access.actor.id,
    actorLabel: access.actor.label,
    action: "device.revealSecret",
    targetType: "parameter",
    targetId: row.name,
    deviceId: device.id,
    after: { parameter: row.name },
  });
  return row;
}
