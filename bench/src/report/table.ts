import type { Usage } from "../processes/resources.ts";
import type { CpuCost } from "../scenarios/context.ts";
import type { BenchResult } from "./result.ts";

/** The short human summary printed after a run. */
export function renderTable(r: BenchResult): string {
  const n = (v: number, digits = 0) => v.toLocaleString("en-US", { maximumFractionDigits: digits });
  const lines: string[] = [];
  const load = `${r.machine.loadAverageAtStart[0]} -> ${r.machine.loadAverageAtEnd[0]}`;
  lines.push(
    `Beacon bench, ${r.mode}, ${r.git.sha}${r.git.dirty ? " (uncommitted changes)" : ""}, ${r.machine.cpus} cores, load ${load}, ${n(r.seconds, 1)} s`,
  );
  const rows: string[][] = [["scenario", "result"]];
  const lat = (l: { p50: number; p95: number; p99: number }) =>
    `p50 ${n(l.p50, 1)} / p95 ${n(l.p95, 1)} / p99 ${n(l.p99, 1)} ms`;
  if (r.baseline) {
    const b = r.baseline.closed;
    rows.push([
      "baseline: bare Fastify, closed loop",
      `${n(b.sessionsPerSecond)} sessions/s (${n(b.requestsPerSecond)} req/s), ${lat(b.latencyMs)}`,
    ]);
    const f = r.baseline.fixedRate;
    rows.push([`baseline: ${n(f.offeredRate ?? 0)}/s offered`, `${lat(f.latencyMs)}, errors ${f.errors}`]);
  }
  if (r.bootStorm) {
    const a = r.bootStorm;
    rows.push([
      `A boot storm: ${n(a.devices)} new devices`,
      `${n(a.registered)} registered + rotated in ${n(a.seconds, 2)} s (${n(a.devicesPerSecond)}/s), retries ${a.retries}, rotation check ${a.rotation.ownCredentialsAccepted}/${a.rotation.sampled} own ok, ${a.rotation.bootstrapRefused}/${a.rotation.sampled} bootstrap refused`,
    ]);
  }
  if (r.steadyState) {
    const c = r.steadyState.closed;
    const ratio = r.baselineRatios?.steadyStateSessions;
    rows.push([
      `B steady: ${n(r.steadyState.devices)} devices, ${c.concurrency} in flight`,
      `${n(c.sessionsPerSecond)} sessions/s${ratio === undefined ? "" : ` (${n(ratio * 100, 1)}% of baseline)`}, ${lat(c.latencyMs)}, errors ${c.errors}, ${c.database.statementsPerSession} SQL statements/session`,
    ]);
    const hot = c.database.hotUpdates;
    if (hot) {
      rows.push([
        "B row updates (HOT share)",
        Object.entries(hot)
          .map(([table, u]) => `${table} ${n(u.updates)} (${n(u.hotShare * 100)}% HOT)`)
          .join(", "),
      ]);
    }
    const f = r.steadyState.fixedRate;
    rows.push([
      `B steady: ${n(f.offeredRate ?? 0)}/s offered`,
      `${n(f.sessionsPerSecond)} sessions/s done, ${lat(f.latencyMs)}, errors ${f.errors}`,
    ]);
  }
  if (r.scaleOut) {
    for (const run of r.scaleOut.runs) {
      const c = run.closed;
      rows.push([
        `E scale-out: ${run.processes} ingress process${run.processes > 1 ? "es" : ""}, ${r.scaleOut.concurrency} in flight`,
        `${n(c.sessionsPerSecond)} sessions/s (x${run.scaling} of 1 process), ${lat(c.latencyMs)}, errors ${c.errors}, PostgreSQL ${run.postgresCores} cores (${n(run.postgresShareOfMachine * 100)}% of the machine), ingress ${run.ingressCores} cores`,
      ]);
    }
    const d = r.scaleOut.devicesPerCore;
    rows.push([
      "E devices per core (1 h / 24 h interval)",
      `ingress ${n(d.ingress.hourly)} / ${n(d.ingress.daily)}, PostgreSQL ${n(d.postgres.hourly)} / ${n(d.postgres.daily)} (at full load, from ${d.basedOn} processes)`,
    ]);
  }
  if (r.taskWork) {
    const c = r.taskWork;
    rows.push([
      `C tasks: ${n(c.devices)} devices, 1 task each`,
      `${n(c.tasksPerSecond)} tasks/s (${c.taskStates.done ?? 0} done in ${n(c.seconds, 2)} s), wake ${JSON.stringify(c.wakeOutcomes)}, session errors ${c.sessions.errors}`,
    ]);
  }
  if (r.recovery) {
    const f = r.recovery;
    for (const kill of f.kills) {
      rows.push([
        `F recovery: kill -9 ${kill.child}, ${n(f.devices)} devices`,
        `serving again after ${kill.recoverySeconds ?? "more than 60"} s, ${kill.sessionsFailed} sessions failed meanwhile (${kill.sessionsCompleted} completed), ${kill.restarts} restart`,
      ]);
    }
    rows.push([
      "F recovery: nothing lost",
      `tasks ${f.tasks.done}/${f.tasks.accepted} done, lost ${f.tasks.lost} (${f.tasks.refused} refused during outages, ${f.tasks.resent} resent); webhooks ${f.webhooks.received}/${f.webhooks.due} delivered, lost ${f.webhooks.lost}, repeated keys ${f.webhooks.repeatedKeys}; shutdown ${f.shutdown.seconds} s (exit ${f.shutdown.exitCode})`,
    ]);
  }
  if (r.deviceList) {
    const d = r.deviceList;
    const q = d.queries;
    const p95 = (t: { latencyMs: { p95: number } } | undefined) => (t ? `${n(t.latencyMs.p95, 1)} ms` : "-");
    const pages = (q: Partial<Record<string, { latencyMs: { p95: number } }>>) =>
      `integrator ${p95(q.integratorPage)}, customer ${p95(q.customerPage)}, small customer ${p95(q.smallCustomerPage)}`;
    rows.push([
      `D list: ${n(d.devices)} devices, p95`,
      `first page ${p95(q.firstPage)}, ${pages(q)}, serial prefix ${p95(q.serialPrefixSearch)}, "103" inside ${p95(q.substringSearch)}`,
    ]);
    rows.push([
      "D size",
      `${n(d.size.bytesPerDevice)} B/device (${n(d.size.totalBytes / 2 ** 20)} MB), +${n(d.size.bytesPerInform)} B per periodic Inform kept`,
    ]);
  }
  lines.push(columns(rows));

  const usageRows: string[][] = [
    ["phase", "ingress CPU s", "ingress peak RSS MB", "PG CPU s", "PG peak RSS/PSS MB", "driver CPU s"],
  ];
  const phase = (name: string, u: Usage | undefined) => {
    if (!u) return;
    usageRows.push([
      name,
      n(u.ingress?.cpuSeconds ?? 0, 1),
      n(u.ingress?.peakRssMb ?? 0),
      n(u.postgres?.cpuSeconds ?? 0, 1),
      `${n(u.postgres?.peakRssMb ?? 0)} / ${n(u.postgres?.peakPssMb ?? 0)}`,
      n(u.driver?.cpuSeconds ?? 0, 1),
    ]);
  };
  const bare = r.baseline?.closed.usage;
  if (bare) phase("baseline (bare server in the ingress columns)", { ...bare, ingress: bare.baseline! });
  phase("A boot storm", r.bootStorm?.usage);
  phase("B closed loop", r.steadyState?.closed.usage);
  phase("B fixed rate", r.steadyState?.fixedRate.usage);
  phase("C tasks", r.taskWork?.usage);
  for (const run of r.scaleOut?.runs ?? []) phase(`E ${run.processes} ingress (all processes)`, run.closed.usage);
  phase("D list queries", r.deviceList?.usage);
  if (usageRows.length > 1) lines.push("", columns(usageRows));

  const costRows: string[][] = [
    ["CPU ms per unit", "server", "PostgreSQL", "driver", "bench", "total", "CPU-bound rate on this machine"],
  ];
  const cost = (name: string, c: CpuCost | undefined, unit: string) => {
    if (!c) return;
    costRows.push([
      name,
      n(c.server, 2),
      n(c.postgres, 2),
      n(c.driver, 2),
      n(c.bench, 2),
      n(c.total, 2),
      `${n(c.cpuBoundRate)} ${unit}/s`,
    ]);
  };
  cost("baseline, per session (bare server)", r.baseline?.closed.cpuMsPerSession, "sessions");
  cost("A, per device", r.bootStorm?.cpuMsPerDevice, "devices");
  cost("B, per session", r.steadyState?.closed.cpuMsPerSession, "sessions");
  cost("C, per task (bench = wakeDevice)", r.taskWork?.cpuMsPerTask, "tasks");
  if (costRows.length > 1) lines.push("", columns(costRows));

  const targetRows: string[][] = [["target", "wanted", "measured", "met"]];
  for (const t of r.targets) {
    targetRows.push([
      t.id,
      t.target,
      t.actual === null ? "-" : `${n(t.actual, 1)} ${t.unit}`,
      t.met === null ? "-" : `${t.met ? "yes" : "NO"}, ${t.margin}`,
    ]);
  }
  lines.push("", columns(targetRows));
  for (const note of r.notes) lines.push(`note: ${note}`);
  return lines.join("\n");
}

function columns(rows: string[][]): string {
  const widths = rows[0]!.map((_, k) => Math.max(...rows.map((row) => (row[k] ?? "").length)));
  return rows
    .map((row) =>
      row
        .map((cell, k) => (k === row.length - 1 ? cell : cell.padEnd(widths[k]!)))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}
