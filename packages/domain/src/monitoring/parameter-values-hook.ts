import type { Db } from "@beacon/db";
import { type AlarmChanges, evaluateAlarms } from "../alarms/evaluate-alarms.ts";
import { completeDiagnostic } from "../diagnostics/diagnostics.ts";
import type { MonitoredDevice, MonitoringMappingSet } from "./monitoring-mappings.ts";
import { type ParameterValue, recordSamples } from "./record-samples.ts";

export interface ParameterValuesOutcome {
  readings: number;
  alarms: AlarmChanges | null;
  diagnosticsFinished: number;
}

/**
 * SESSION HOOK, the one call the session layer needs for monitoring: after it stored the parameter values of
 * an Inform or a GetParameterValuesResponse, pass them here. Records the metric readings (recordSamples),
 * re-evaluates the device's alarms when there were any, and finishes diagnostics whose results the values hold
 * (completeDiagnostic). Run it after the session's transaction, or in the background: nothing in the session
 * depends on it.
 */
export async function onParameterValues(
  db: Db,
  deviceId: string,
  values: readonly ParameterValue[],
  options: { now?: Date; mappings?: MonitoringMappingSet; device?: MonitoredDevice } = {},
): Promise<ParameterValuesOutcome> {
  const now = options.now ?? new Date();
  const readings = await recordSamples(db, deviceId, values, {
    at: now,
    mappings: options.mappings,
    device: options.device,
  });
  const alarms = readings.length ? await evaluateAlarms(db, deviceId, now) : null;
  const finished = values.some((v) => v.name.endsWith(".DiagnosticsState"))
    ? await completeDiagnostic(db, deviceId, values, now)
    : [];
  return { readings: readings.length, alarms, diagnosticsFinished: finished.length };
}
