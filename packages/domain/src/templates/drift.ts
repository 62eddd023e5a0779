import type { Db } from "@beacon/db";
import { explainFault } from "../devices/device-history.ts";
import { NotFound } from "../errors.ts";
import type { PlannedValue } from "./plan.ts";

export interface DriftItem {
  templateId: string;
  templateName: string;
  version: number;
  setting: string | null;
  path: string;
  /** What the template set. */
  expected: string;
  /** What the device reports now. */
  actual: string;
  /** When Beacon last heard the device's value. */
  seenAt: Date;
}

/** A setting the device refused when a template was applied (SetParameterValues fault 9007, 9008, ...). */
export interface RefusedSetting {
  templateId: string;
  templateName: string;
  version: number;
  setting: string | null;
  path: string;
  code: number;
  reason: string;
  /** The fault in words, with a hint of what to change. */
  explanation: string;
  taskId: string | null;
}

export interface TemplateDrift {
  deviceId: string;
  drifted: DriftItem[];
  /** The settings the device refused, the latest refusal of each path; the template's other values still apply. */
  refused: RefusedSetting[];
  /** Templates whose tasks have not finished: the device is not expected to match them yet. */
  pending: { templateId: string; templateName: string }[];
  /**
   * Values that cannot be compared: secrets (CWMP reads passwords back empty, TR-069 A.3.2.2), values Beacon has
   * not read back, and settings the device refused.
   */
  unverifiable: number;
}

/** Settings whose current DeviceParameter value differs from what the device's templates set. */
export async function templateDrift(db: Db, deviceId: string): Promise<TemplateDrift> {
  const device = await db.device.findUnique({ where: { id: deviceId }, select: { id: true } });
  if (!device) throw new NotFound("device");
  const carried = await db.deviceTemplate.findMany({
    where: { deviceId },
    include: { template: { select: { name: true } }, templateVersion: { select: { version: true } } },
    orderBy: { createdAt: "asc" },
  });
  const tasks = await db.task.findMany({
    where: { id: { in: carried.flatMap((c) => c.taskIds) } },
    select: { id: true, state: true },
  });
  const paths = carried.flatMap((c) => valuesOf(c.values).map((v) => v.path));
  const current = await db.deviceParameter.findMany({
    where: { deviceId, name: { in: paths } },
    select: { name: true, value: true, updatedAt: true },
  });
  const byName = new Map(current.map((p) => [p.name, p]));

  const drifted: DriftItem[] = [];
  const refused: RefusedSetting[] = [];
  const pending: TemplateDrift["pending"] = [];
  let unverifiable = 0;
  for (const row of carried) {
    const version = row.templateVersion.version;
    const refusals = new Map(rejectedEntries(row.rejected).map((r) => [r.path, r]));
    for (const r of refusals.values()) {
      const explanation = explainFault(r.code, r.reason) ?? r.reason;
      refused.push({ templateId: row.templateId, templateName: row.template.name, version, ...r, explanation });
    }
    const unfinished = row.taskIds.some((id) => {
      const state = tasks.find((t) => t.id === id)?.state;
      return state === "pending" || state === "running";
    });
    if (unfinished) {
      pending.push({ templateId: row.templateId, templateName: row.template.name });
      continue;
    }
    for (const v of valuesOf(row.values)) {
      const now = byName.get(v.path);
      if (v.secret || refusals.has(v.path) || now?.value === null || now?.value === undefined) {
        unverifiable++;
        continue;
      }
      if (sameValue(v.value, now.value, v.type)) continue;
      drifted.push({
        templateId: row.templateId,
        templateName: row.template.name,
        version,
        setting: v.setting,
        path: v.path,
        expected: v.value,
        actual: now.value,
        seenAt: now.updatedAt,
      });
    }
  }
  return { deviceId, drifted, refused, pending, unverifiable };
}

function valuesOf(json: unknown): PlannedValue[] {
  return Array.isArray(json) ? (json as PlannedValue[]).filter((v) => typeof v?.path === "string") : [];
}

type RejectedEntry = Pick<RefusedSetting, "setting" | "path" | "code" | "reason" | "taskId">;

/** DeviceTemplate.rejected as retryWithoutRejected writes it, oldest first; entries without a path are skipped. */
function rejectedEntries(json: unknown): RejectedEntry[] {
  if (!Array.isArray(json)) return [];
  return json.flatMap((entry) => {
    const r = (entry ?? {}) as Record<string, unknown>;
    if (typeof r.path !== "string") return [];
    return [
      {
        setting: typeof r.setting === "string" ? r.setting : null,
        path: r.path,
        code: typeof r.code === "number" ? r.code : 9002,
        reason: typeof r.reason === "string" ? r.reason : "",
        taskId: typeof r.taskId === "string" ? r.taskId : null,
      },
    ];
  });
}

/** CWMP spells booleans "1" or "true" and numbers with or without leading zeros: compare by meaning. */
export function sameValue(expected: string, actual: string, type: string): boolean {
  if (type === "xsd:boolean") {
    const truth = (s: string) => ["1", "true"].includes(s.trim().toLowerCase());
    return truth(expected) === truth(actual);
  }
  if (/^xsd:(unsigned)?(int|long)$/i.test(type) && /^-?\d+$/.test(expected.trim()) && /^-?\d+$/.test(actual.trim())) {
    return BigInt(expected.trim()) === BigInt(actual.trim());
  }
  return expected === actual;
}
