import type { Db } from "@beacon/db";
import { sweepAlarms } from "../alarms/sweep-alarms.ts";
import { settleDiagnostics } from "../diagnostics/diagnostics.ts";
import type { SchedulerHandle } from "../firmware/campaign-scheduler.ts";
import { queueMetricCollection } from "./collection-profiles.ts";
import { loadMonitoringMappings, type MonitoringMappingSet } from "./monitoring-mappings.ts";
import { maintainSamplePartitions, SAMPLE_RETENTION_DAYS } from "./sample-partitions.ts";

export interface MonitoringSchedulerOptions {
  intervalMs?: number;
  clock?: () => Date;
  retentionDays?: number;
  mappings?: MonitoringMappingSet;
  onError?: (error: unknown) => void;
}

/**
 * The periodic side of monitoring, every `intervalMs` (default one minute): sample partitions for the coming
 * days and retention, getParameterValues tasks for metrics the profiles want and no Inform brought, alarms of
 * devices that went silent, diagnostics whose event never came. Safe to run in several processes.
 */
export function runMonitoringScheduler(db: Db, options: MonitoringSchedulerOptions = {}): SchedulerHandle {
  const clock = options.clock ?? (() => new Date());
  const onError = options.onError ?? (() => {});
  const mappings = options.mappings ?? loadMonitoringMappings();
  let running: Promise<void> | null = null;
  let partitionsDoneFor = "";
  const round = async () => {
    const now = clock();
    const today = now.toISOString().slice(0, 10);
    const steps: [string, () => Promise<unknown>][] = [
      [
        "partitions",
        async () => {
          if (partitionsDoneFor === today) return;
          await maintainSamplePartitions(db, { now, retentionDays: options.retentionDays ?? SAMPLE_RETENTION_DAYS });
          partitionsDoneFor = today;
        },
      ],
      ["collection", () => queueMetricCollection(db, now, { mappings })],
      ["alarms", () => sweepAlarms(db, now)],
      ["diagnostics", () => settleDiagnostics(db, now)],
    ];
    for (const [, run] of steps) await run().catch(onError);
  };
  const tick = () => {
    running ??= round()
      .catch(onError)
      .finally(() => {
        running = null;
      });
    return running;
  };
  const timer = setInterval(() => void tick(), options.intervalMs ?? 60_000);
  timer.unref();
  return {
    tick,
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
