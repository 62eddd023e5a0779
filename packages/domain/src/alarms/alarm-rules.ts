import type { AlarmSeverity, Db } from "@beacon/db";
import { z } from "zod";
import { recordAudit } from "../audit/record-audit.ts";
import { Invalid, NotFound } from "../errors.ts";
import { GPON_CLASS_B_PLUS } from "../monitoring/optical-levels.ts";

/**
 * The alarm types Beacon knows and their settings. Defaults suit GPON class B+ ONTs; a domain changes them
 * with an AlarmRule row, which the domains below inherit unless they have their own (a row for a product
 * class beats one for every model of the same domain). Hysteresis: an alarm raised at a threshold clears
 * only once the reading is `hysteresis` past it, so a value wandering around the threshold does not flap.
 */

const severity = z.enum(["warning", "minor", "major", "critical"]);
const hysteresis = (fallback: number) => z.number().min(0).default(fallback);

export const ALARM_RULE_SETTINGS = {
  /** Received optical power too low: warning at or below `warning` dBm, critical below `critical` dBm. */
  "optical.rxLow": z.strictObject({
    warning: z.number().default(GPON_CLASS_B_PLUS.warning),
    critical: z.number().default(GPON_CLASS_B_PLUS.critical),
    hysteresis: hysteresis(1),
  }),
  /** Received optical power above the receiver's overload point. */
  "optical.rxOverload": z.strictObject({
    above: z.number().default(GPON_CLASS_B_PLUS.overload),
    hysteresis: hysteresis(1),
    severity: severity.default("major"),
  }),
  /** The ONT reports no optical signal (its latest reading has no value). */
  "optical.los": z.strictObject({ severity: severity.default("critical") }),
  /** Device or transceiver temperature above `above` °C. */
  "temperature.high": z.strictObject({
    above: z.number().default(80),
    hysteresis: hysteresis(5),
    severity: severity.default("major"),
  }),
  /** More WiFi clients than `above`. */
  "wifi.clientsHigh": z.strictObject({
    above: z.number().default(64),
    hysteresis: hysteresis(4),
    severity: severity.default("warning"),
  }),
  /** No Inform for longer than `intervals` periodic inform intervals. */
  "device.offline": z.strictObject({
    intervals: z.number().min(1).default(3),
    /** For devices whose PeriodicInformInterval Beacon does not know. */
    assumedIntervalSeconds: z.number().int().min(60).default(3600),
    severity: severity.default("major"),
  }),
  /** At least `count` "1 BOOT" events within `windowHours`. */
  "device.reboots": z.strictObject({
    count: z.number().int().min(1).default(3),
    windowHours: z.number().min(1).default(24),
    hysteresis: hysteresis(1),
    severity: severity.default("warning"),
  }),
  /** At least `count` tasks ending in a CPE fault within `windowHours`. */
  "device.faults": z.strictObject({
    count: z.number().int().min(1).default(3),
    windowHours: z.number().min(1).default(24),
    hysteresis: hysteresis(1),
    severity: severity.default("warning"),
  }),
} as const;

export type AlarmType = keyof typeof ALARM_RULE_SETTINGS;
export const ALARM_TYPES = Object.keys(ALARM_RULE_SETTINGS) as AlarmType[];
export type AlarmSettings<T extends AlarmType> = z.output<(typeof ALARM_RULE_SETTINGS)[T]>;

export function isAlarmType(type: string): type is AlarmType {
  return Object.hasOwn(ALARM_RULE_SETTINGS, type);
}

export type EffectiveAlarmRules = { [T in AlarmType]: { enabled: boolean; settings: AlarmSettings<T> } };

export const SEVERITY_RANK: Record<AlarmSeverity, number> = { warning: 1, minor: 2, major: 3, critical: 4 };

/** The rules for a device of `productClass` in the domain whose ancestors (root first, itself last) are given. */
export async function effectiveAlarmRules(
  db: Pick<Db, "alarmRule">,
  scope: { ancestorIds: readonly string[]; productClass?: string },
): Promise<EffectiveAlarmRules> {
  const rows = await db.alarmRule.findMany({
    where: { tenantId: { in: [...scope.ancestorIds] }, productClass: { in: ["", scope.productClass ?? ""] } },
  });
  const depth = (tenantId: string) => scope.ancestorIds.indexOf(tenantId);
  rows.sort((a, b) => depth(a.tenantId) - depth(b.tenantId) || a.productClass.length - b.productClass.length);
  const rules = {} as Record<AlarmType, { enabled: boolean; settings: unknown }>;
  for (const type of ALARM_TYPES) {
    let enabled = true;
    let raw: Record<string, unknown> = {};
    for (const row of rows) {
      if (row.type !== type) continue;
      enabled = row.enabled;
      raw = { ...raw, ...(row.settings as Record<string, unknown>) };
    }
    const parsed = ALARM_RULE_SETTINGS[type].safeParse(raw);
    rules[type] = { enabled, settings: parsed.success ? parsed.data : ALARM_RULE_SETTINGS[type].parse({}) };
  }
  return rules as EffectiveAlarmRules;
}

export interface SetAlarmRuleInput {
  tenantId: string;
  type: string;
  /** Empty or absent: every model. */
  productClass?: string;
  enabled?: boolean;
  /** Only the settings to change; the rest are inherited. */
  settings?: Record<string, number | string | boolean>;
}

/** A domain's own settings for an alarm type (for one model or all); the domains below inherit them. */
export async function setAlarmRule(db: Db, input: SetAlarmRuleInput, actor: { id?: string | null; label: string }) {
  if (!isAlarmType(input.type))
    throw new Invalid(`unknown alarm type ${input.type}; expected one of ${ALARM_TYPES.join(", ")}`);
  const settings = input.settings ?? {};
  const checked = ALARM_RULE_SETTINGS[input.type].partial().safeParse(settings);
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    throw new Invalid(`${input.type}: ${issue.message}${issue.path.length ? ` (${issue.path.join(".")})` : ""}`);
  }
  if (!(await db.tenant.findUnique({ where: { id: input.tenantId }, select: { id: true } })))
    throw new NotFound("domain");
  const productClass = input.productClass?.trim() ?? "";
  return db.$transaction(async (tx) => {
    const rule = await tx.alarmRule.upsert({
      where: { tenantId_type_productClass: { tenantId: input.tenantId, type: input.type, productClass } },
      create: { tenantId: input.tenantId, type: input.type, productClass, enabled: input.enabled ?? true, settings },
      update: { enabled: input.enabled, settings },
    });
    await recordAudit(tx, {
      tenantId: input.tenantId,
      actorId: actor.id,
      actorLabel: actor.label,
      action: "alarmRule.set",
      targetType: "alarmRule",
      targetId: rule.id,
      after: { type: rule.type, productClass, enabled: rule.enabled, settings },
    });
    return rule;
  });
}
