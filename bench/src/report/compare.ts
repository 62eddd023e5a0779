import type { BenchResult } from "./result.ts";

/** `npm run bench -- --compare A.json B.json`: the headline numbers side by side, with the change. */

interface Metric {
  label: string;
  better: "higher" | "lower";
  of: (r: BenchResult) => number | undefined;
}

const perSession = (cpuSeconds: number | undefined, sessions: number | undefined) =>
  cpuSeconds === undefined || !sessions ? undefined : (cpuSeconds * 1000) / sessions;

const METRICS: Metric[] = [
  { label: "baseline sessions/s", better: "higher", of: (r) => r.baseline?.closed.sessionsPerSecond },
  { label: "A seconds to register all", better: "lower", of: (r) => r.bootStorm?.seconds },
  { label: "A devices/s", better: "higher", of: (r) => r.bootStorm?.devicesPerSecond },
  { label: "A session p99 ms", better: "lower", of: (r) => r.bootStorm?.latencyMs.p99 },
  { label: "A SQL statements/device", better: "lower", of: (r) => r.bootStorm?.database.statementsPerDevice },
  { label: "B sessions/s", better: "higher", of: (r) => r.steadyState?.closed.sessionsPerSecond },
  { label: "B share of baseline", better: "higher", of: (r) => r.baselineRatios?.steadyStateSessions },
  { label: "B closed p50 ms", better: "lower", of: (r) => r.steadyState?.closed.latencyMs.p50 },
  { label: "B closed p99 ms", better: "lower", of: (r) => r.steadyState?.closed.latencyMs.p99 },
  { label: "B errors", better: "lower", of: (r) => r.steadyState?.closed.errors },
  {
    label: "B SQL statements/session",
    better: "lower",
    of: (r) => r.steadyState?.closed.database.statementsPerSession,
  },
  { label: "B CPU-bound sessions/s", better: "higher", of: (r) => r.steadyState?.closed.cpuMsPerSession?.cpuBoundRate },
  { label: "A CPU-bound devices/s", better: "higher", of: (r) => r.bootStorm?.cpuMsPerDevice?.cpuBoundRate },
  { label: "C CPU-bound tasks/s", better: "higher", of: (r) => r.taskWork?.cpuMsPerTask?.cpuBoundRate },
  {
    label: "B ingress CPU ms/session",
    better: "lower",
    of: (r) => perSession(r.steadyState?.closed.usage.ingress?.cpuSeconds, r.steadyState?.closed.sessions),
  },
  {
    label: "B PostgreSQL CPU ms/session",
    better: "lower",
    of: (r) => perSession(r.steadyState?.closed.usage.postgres?.cpuSeconds, r.steadyState?.closed.sessions),
  },
  { label: "B fixed-rate p50 ms", better: "lower", of: (r) => r.steadyState?.fixedRate.latencyMs.p50 },
  { label: "B fixed-rate p99 ms", better: "lower", of: (r) => r.steadyState?.fixedRate.latencyMs.p99 },
  { label: "B fixed-rate errors", better: "lower", of: (r) => r.steadyState?.fixedRate.errors },
  { label: "C tasks/s", better: "higher", of: (r) => r.taskWork?.tasksPerSecond },
  ...[1, 2, 4].map((processes) => ({
    label: `E sessions/s, ${processes} ingress`,
    better: "higher" as const,
    of: (r: BenchResult) => r.scaleOut?.runs.find((run) => run.processes === processes)?.closed.sessionsPerSecond,
  })),
  { label: "D first page p95 ms", better: "lower", of: (r) => r.deviceList?.queries.firstPage.latencyMs.p95 },
  { label: "D integrator page p95 ms", better: "lower", of: (r) => r.deviceList?.queries.integratorPage.latencyMs.p95 },
  { label: "D customer page p95 ms", better: "lower", of: (r) => r.deviceList?.queries.customerPage.latencyMs.p95 },
  {
    label: "D serial search p95 ms",
    better: "lower",
    of: (r) => r.deviceList?.queries.serialPrefixSearch.latencyMs.p95,
  },
  {
    label: "D substring search p95 ms",
    better: "lower",
    of: (r) => r.deviceList?.queries.substringSearch?.latencyMs.p95,
  },
  {
    label: "D small customer page p95 ms",
    better: "lower",
    of: (r) => r.deviceList?.queries.smallCustomerPage?.latencyMs.p95,
  },
  { label: "D worst p95 ms", better: "lower", of: (r) => r.deviceList?.worstP95Ms },
  { label: "D bytes/device", better: "lower", of: (r) => r.deviceList?.size.bytesPerDevice },
  {
    label: "ingress peak RSS MB",
    better: "lower",
    of: (r) => r.targets.find((t) => t.id === "ingress.peakRss")?.actual ?? undefined,
  },
];

export function compareResults(before: BenchResult, after: BenchResult): string {
  const rows: string[][] = [["metric", label(before), label(after), "change"]];
  for (const m of METRICS) {
    const a = m.of(before);
    const b = m.of(after);
    if (a === undefined && b === undefined) continue;
    rows.push([m.label, show(a), show(b), change(a, b, m.better)]);
  }
  const warnings: string[] = [];
  if (before.mode !== after.mode) warnings.push(`different modes (${before.mode} vs ${after.mode}): sizes differ`);
  if (before.machine.cpus !== after.machine.cpus || before.machine.cpuModel !== after.machine.cpuModel) {
    warnings.push("different machines");
  }
  return [table(rows), ...warnings.map((w) => `note: ${w}`)].join("\n");
}

function label(r: BenchResult): string {
  return `${r.startedAt.slice(0, 10)} ${r.git.sha}${r.git.dirty ? "+" : ""}`;
}

function show(v: number | undefined): string {
  return v === undefined ? "-" : v.toLocaleString("en-US", { maximumFractionDigits: 2 });
}

function change(a: number | undefined, b: number | undefined, better: "higher" | "lower"): string {
  if (a === undefined || b === undefined) return "";
  if (a === b) return "same";
  const relative = a === 0 ? "" : ` (${b > a ? "+" : ""}${Math.round(((b - a) / Math.abs(a)) * 1000) / 10}%)`;
  const improved = better === "higher" ? b > a : b < a;
  return `${improved ? "better" : "worse"}${relative}`;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, k) => Math.max(...rows.map((row) => row[k]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, k) => cell.padEnd(widths[k]!))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}
