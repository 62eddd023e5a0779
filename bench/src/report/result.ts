import type { BaselineResult } from "../scenarios/baseline.ts";
import type { BootStormResult } from "../scenarios/boot-storm.ts";
import type { DeviceListResult } from "../scenarios/device-list.ts";
import type { RecoveryResult } from "../scenarios/recovery.ts";
import type { ScaleOutResult } from "../scenarios/scale-out.ts";
import type { SteadyStateResult } from "../scenarios/steady-state.ts";
import type { TaskWorkResult } from "../scenarios/task-work.ts";
import type { ProfileSummary } from "./profile.ts";

/** The JSON document of one run (bench/results/<date>-<sha>.json). */
export interface BenchResult {
  schema: "beacon-bench/1";
  mode: "full" | "quick";
  startedAt: string;
  finishedAt: string;
  seconds: number;
  git: { sha: string; dirty: boolean };
  machine: {
    cpus: number;
    cpuModel: string;
    memoryMb: number;
    node: string;
    loadAverageAtStart: number[];
    loadAverageAtEnd: number[];
  };
  setup: {
    concurrency: number;
    sizes: Record<string, unknown>;
    postgres: Record<string, string>;
    ingress: { command: string; environment: Record<string, string> };
    driver: string;
  };
  baseline?: BaselineResult;
  bootStorm?: BootStormResult;
  steadyState?: SteadyStateResult;
  scaleOut?: ScaleOutResult;
  taskWork?: TaskWorkResult;
  deviceList?: DeviceListResult;
  recovery?: RecoveryResult;
  /** Beacon's rate as a share of the bare HTTP round trip (same driver, same session shape). */
  baselineRatios?: Record<string, number>;
  profile?: ProfileSummary;
  /** Error and fatal lines of the ingress's log (pino levels 50, 60): how many, and the first few. */
  ingressErrors: { count: number; first: string[] };
  targets: TargetCheck[];
  notes: string[];
}

export interface TargetCheck {
  id: string;
  description: string;
  /** e.g. ">= 3000 sessions/s" */
  target: string;
  actual: number | null;
  unit: string;
  /** null: not measured in this run. */
  met: boolean | null;
  /** How far from the target, in words: "+23% above", "2.1x over". */
  margin: string;
}
