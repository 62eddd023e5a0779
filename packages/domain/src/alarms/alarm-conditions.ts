import type { AlarmSeverity } from "@beacon/db";
import type { MetricName } from "../monitoring/metrics.ts";
import type { AlarmSettings, AlarmType } from "./alarm-rules.ts";

/** What evaluateAlarms knows about a device when it judges each alarm type. */
export interface AlarmFacts {
  now: Date;
  /** The device's latest reading of each metric. */
  metrics: ReadonlyMap<MetricName, { value: number | null; at: Date }>;
  lastInformAt: Date | null;
  periodicInformInterval: number | null;
  /** "1 BOOT" events within the reboot rule's window. */
  boots: number;
  /** Tasks that ended in a fault within the fault rule's window. */
  faults: number;
}

export interface AlarmVerdict {
  severity: AlarmSeverity;
  message: string;
  value: number | null;
}

const dBm = (v: number) => `${Math.round(v * 100) / 100} dBm`;

function duration(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${Math.round(seconds / 360) / 10} h`;
  return `${Math.round(seconds / 8640) / 10} days`;
}

/**
 * Whether an alarm of `type` should be active, and how severe, given the one already active (for hysteresis).
 * Pure: evaluateAlarms reads the facts and writes the outcome.
 */
export function judgeAlarm<T extends AlarmType>(
  type: T,
  settings: AlarmSettings<T>,
  facts: AlarmFacts,
  active: { severity: AlarmSeverity } | null,
): AlarmVerdict | null {
  switch (type) {
    case "optical.rxLow":
      return rxLow(settings as AlarmSettings<"optical.rxLow">, facts, active);
    case "optical.rxOverload": {
      const s = settings as AlarmSettings<"optical.rxOverload">;
      const v = facts.metrics.get("optical.rxPower")?.value;
      if (v === null || v === undefined) return null;
      const limit = active ? s.above - s.hysteresis : s.above;
      if (v <= limit) return null;
      return {
        severity: s.severity,
        value: v,
        message: `optical receiver overloaded: ${dBm(v)}, above ${dBm(s.above)}`,
      };
    }
    case "optical.los": {
      const s = settings as AlarmSettings<"optical.los">;
      const reading = facts.metrics.get("optical.rxPower");
      if (!reading || reading.value !== null) return null;
      return { severity: s.severity, value: null, message: "loss of signal: the ONT reports no optical reading" };
    }
    case "temperature.high": {
      const s = settings as AlarmSettings<"temperature.high">;
      const readings = (["device.temperature", "optical.temperature"] as const)
        .map((m) => facts.metrics.get(m)?.value)
        .filter((v): v is number => v !== null && v !== undefined);
      if (!readings.length) return null;
      const v = Math.max(...readings);
      if (v <= (active ? s.above - s.hysteresis : s.above)) return null;
      return { severity: s.severity, value: v, message: `temperature ${v} °C, above ${s.above} °C` };
    }
    case "wifi.clientsHigh": {
      const s = settings as AlarmSettings<"wifi.clientsHigh">;
      const v = facts.metrics.get("wifi.clients")?.value;
      if (v === null || v === undefined) return null;
      if (v <= (active ? s.above - s.hysteresis : s.above)) return null;
      return { severity: s.severity, value: v, message: `${v} WiFi clients, more than ${s.above}` };
    }
    case "device.offline": {
      const s = settings as AlarmSettings<"device.offline">;
      if (!facts.lastInformAt) return null;
      const interval = facts.periodicInformInterval ?? s.assumedIntervalSeconds;
      const silent = (facts.now.getTime() - facts.lastInformAt.getTime()) / 1000;
      if (silent <= s.intervals * interval) return null;
      return {
        severity: s.severity,
        value: Math.round(silent),
        message: `offline: no Inform for ${duration(silent)} (expected every ${duration(interval)})`,
      };
    }
    case "device.reboots": {
      const s = settings as AlarmSettings<"device.reboots">;
      const limit = active ? Math.max(1, s.count - s.hysteresis) : s.count;
      if (facts.boots < limit) return null;
      return { severity: s.severity, value: facts.boots, message: `${facts.boots} reboots within ${s.windowHours} h` };
    }
    case "device.faults": {
      const s = settings as AlarmSettings<"device.faults">;
      const limit = active ? Math.max(1, s.count - s.hysteresis) : s.count;
      if (facts.faults < limit) return null;
      return {
        severity: s.severity,
        value: facts.faults,
        message: `${facts.faults} tasks failed with a CPE fault within ${s.windowHours} h`,
      };
    }
  }
  return null;
}

/**
 * Critical below `critical`, warning at or below `warning`. An active critical alarm steps down only once the
 * level is `hysteresis` above the critical threshold; an active alarm clears only once it is `hysteresis`
 * above the warning threshold.
 */
function rxLow(
  s: AlarmSettings<"optical.rxLow">,
  facts: AlarmFacts,
  active: { severity: AlarmSeverity } | null,
): AlarmVerdict | null {
  const v = facts.metrics.get("optical.rxPower")?.value;
  if (v === null || v === undefined) return null;
  let severity: AlarmSeverity | null = v < s.critical ? "critical" : v <= s.warning ? "warning" : null;
  if (active?.severity === "critical" && v < s.critical + s.hysteresis) severity = "critical";
  if (active && severity === null && v <= s.warning + s.hysteresis) severity = "warning";
  if (!severity) return null;
  const why =
    severity === "critical"
      ? v < s.critical
        ? `below ${dBm(s.critical)}`
        : `recovering, critical until above ${dBm(s.critical + s.hysteresis)}`
      : v <= s.warning
        ? `at or below ${dBm(s.warning)}`
        : `recovering, clears above ${dBm(s.warning + s.hysteresis)}`;
  return { severity, value: v, message: `low optical level: ${dBm(v)}, ${why}` };
}
