import { execFileSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createDb, type Db } from "@beacon/db";
import { ensurePlatformTenant } from "@beacon/domain";
import { type BenchPlan, parseCommand, UsageError } from "./plan.ts";
import { type DriverClient, startDriver } from "./processes/driver-client.ts";
import { startBaseline, startIngress } from "./processes/ingress.ts";
import { type BenchPostgres, removeDataDir, startBenchPostgres } from "./processes/postgres.ts";
import { errorLines, type ServerProcess, tail } from "./processes/server-process.ts";
import { compareResults } from "./report/compare.ts";
import { summariseProfile } from "./report/profile.ts";
import type { BenchResult } from "./report/result.ts";
import { renderTable } from "./report/table.ts";
import { baselineRatios, checkTargets } from "./report/targets.ts";
import { runBaseline } from "./scenarios/baseline.ts";
import { runBootStorm } from "./scenarios/boot-storm.ts";
import type { BenchContext } from "./scenarios/context.ts";
import { runDeviceList } from "./scenarios/device-list.ts";
import { runRecovery } from "./scenarios/recovery.ts";
import { runScaleOut } from "./scenarios/scale-out.ts";
import { runSteadyState } from "./scenarios/steady-state.ts";
import { runTaskWork } from "./scenarios/task-work.ts";
import { warmUp } from "./scenarios/warm-up.ts";
import { seedTenants } from "./seed.ts";

/**
 * `npm run bench`: PostgreSQL, the ingress and a bare baseline server as separate processes, the simulated
 * CPEs in a driver process, scenarios A-D, one JSON document on stdout (and in bench/results/), a table on
 * stderr. `npm run bench -- --compare A.json B.json` prints the change between two results.
 */

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

function progress(line: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
}

async function run(plan: BenchPlan): Promise<BenchResult> {
  const startedAt = new Date();
  const workDir = mkdtempSync(join(tmpdir(), "beacon-bench-"));
  // As root, PostgreSQL runs as the `postgres` user, which must be able to pass through to its data folder.
  chmodSync(workDir, 0o711);
  const profileDir = plan.profile ? join(workDir, "profile") : undefined;
  const stoppers: (() => Promise<unknown>)[] = [];
  const stopAll = async () => {
    for (const stop of stoppers.reverse()) await stop().catch(() => {});
    stoppers.length = 0;
  };
  const interrupted = () => {
    progress("interrupted: stopping");
    void stopAll().finally(() => {
      removeDataDir(workDir);
      process.exit(130);
    });
  };
  process.once("SIGINT", interrupted);
  process.once("SIGTERM", interrupted);

  try {
    progress(`${plan.mode} run, scenarios ${plan.scenarios.join(", ")}; working in ${workDir}`);
    const pg: BenchPostgres = await startBenchPostgres(join(workDir, "data"), { unsafeFast: plan.unsafeFastPostgres });
    stoppers.push(() => pg.stop());
    const driver: DriverClient = await startDriver({ reuseConnections: plan.reuseConnections });
    stoppers.push(() => driver.stop());
    const ingress = await startIngress({
      repoRoot: REPO_ROOT,
      workDir,
      databaseUrl: pg.url,
      cpuProfileDir: profileDir,
      bundle: plan.ingressBundle,
    });
    stoppers.push(() => ingress.stop());
    const baseline: ServerProcess = await startBaseline({ repoRoot: REPO_ROOT, workDir });
    stoppers.push(() => baseline.stop());
    const db: Db = createDb(pg.url, { maxConnections: 10, applicationName: "beacon-bench" });
    stoppers.push(() => db.$disconnect());

    const platform = await ensurePlatformTenant(db);
    const tenants = await seedTenants(
      pg.client,
      platform.id,
      plan.mode === "quick"
        ? { integrators: 2, customersPerIntegrator: 5 }
        : { integrators: 4, customersPerIntegrator: 25 },
    );
    const context: BenchContext = {
      plan,
      pg,
      ingress,
      baseline,
      driver,
      db,
      tenants,
      repoRoot: REPO_ROOT,
      workDir,
      progress,
    };
    const loadAtStart = loadavg();

    const result: BenchResult = {
      schema: "beacon-bench/1",
      mode: plan.mode,
      startedAt: startedAt.toISOString(),
      finishedAt: "",
      seconds: 0,
      git: gitState(),
      machine: {
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model ?? "unknown",
        memoryMb: Math.round(totalmem() / 2 ** 20),
        node: process.version,
        loadAverageAtStart: loadAtStart.map((l) => Math.round(l * 100) / 100),
        loadAverageAtEnd: [],
      },
      setup: {
        concurrency: plan.concurrency,
        sizes: {
          bootStorm: plan.bootStorm,
          steadyState: plan.steadyState,
          taskWork: plan.taskWork,
          deviceList: plan.deviceList,
          recovery: plan.recovery,
          scaleOut: plan.scaleOut,
          baseline: plan.baseline,
        },
        postgres: await pg.settings(),
        ingress: { command: ingress.command, environment: ingress.env },
        driver: `bench/src/driver/driver.ts: one process, node:http, ${plan.reuseConnections ? "keep-alive connections shared by all sessions" : "a keep-alive connection per session"}, Digest MD5`,
      },
      targets: [],
      ingressErrors: { count: 0, first: [] },
      notes: [],
    };

    const sessions = plan.scenarios.some((s) => s !== "D");
    if (sessions) await warmUp(context);
    if (plan.scenarios.includes("A")) result.bootStorm = await runBootStorm(context);
    // Right before B, whose throughput it is the yardstick of, so that both see the same machine.
    if (sessions) result.baseline = await runBaseline(context);
    if (plan.scenarios.includes("B"))
      result.steadyState = await runSteadyState(context, result.baseline?.closed.sessionsPerSecond);
    // Right after B, on B's fleet, before D grows the database.
    if (plan.scenarios.includes("E")) result.scaleOut = await runScaleOut(context, plan.scenarios.includes("B"));
    if (plan.scenarios.includes("C")) result.taskWork = await runTaskWork(context);
    if (plan.scenarios.includes("D")) result.deviceList = await runDeviceList(context);

    const ingressExit = await ingress.stop();
    const ingressExitedAt = Date.now();
    const errors = errorLines(ingress.logFile);
    result.ingressErrors = { count: errors.length, first: errors.slice(0, 5).map((line) => line.slice(0, 2_000)) };
    if (errors.length) result.notes.push(`the ingress logged ${errors.length} errors; see ingressErrors`);
    if (ingressExit !== 0) result.notes.push(`the ingress exited with ${ingressExit}: ${tail(ingress.logFile, 5)}`);
    if (profileDir) {
      const summary = summariseProfile(profileDir, result, ingressExitedAt);
      if (summary) {
        const kept = join(
          REPO_ROOT,
          "bench",
          "results",
          "profiles",
          `${startedAt.toISOString().slice(0, 10)}-${result.git.sha}-ingress.cpuprofile`,
        );
        mkdirSync(dirname(kept), { recursive: true });
        copyFileSync(summary.file, kept);
        result.profile = { ...summary, file: relative(REPO_ROOT, kept) };
      }
    }
    await stopAll();

    result.finishedAt = new Date().toISOString();
    result.seconds = Math.round((Date.now() - startedAt.getTime()) / 100) / 10;
    result.machine.loadAverageAtEnd = loadavg().map((l) => Math.round(l * 100) / 100);
    result.baselineRatios = baselineRatios(result);
    result.targets = checkTargets(result);
    if (plan.mode === "quick") {
      result.notes.push("quick mode: sizes far below the targets' sizes; the target checks are indicative only");
    }
    if (loadAtStart[0]! > 1.5) {
      result.notes.push(`load average ${loadAtStart[0]!.toFixed(2)} at start: other work shared the machine`);
    }
    return result;
  } finally {
    await stopAll();
    process.removeListener("SIGINT", interrupted);
    process.removeListener("SIGTERM", interrupted);
    if (plan.keep) progress(`kept ${workDir}`);
    else removeDataDir(workDir);
  }
}

/** The result document of a run of scenario F alone (no PostgreSQL, ingress or driver of the bench's own). */
function recoveryOnlyResult(plan: BenchPlan): BenchResult {
  return {
    schema: "beacon-bench/1",
    mode: plan.mode,
    startedAt: new Date().toISOString(),
    finishedAt: "",
    seconds: 0,
    git: gitState(),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? "unknown",
      memoryMb: Math.round(totalmem() / 2 ** 20),
      node: process.version,
      loadAverageAtStart: loadavg().map((l) => Math.round(l * 100) / 100),
      loadAverageAtEnd: [],
    },
    setup: {
      concurrency: plan.concurrency,
      sizes: { recovery: plan.recovery },
      postgres: {},
      ingress: { command: "node bin/beacon.mjs start (scenario F)", environment: {} },
      driver: "packages/sim fleet in the bench process",
    },
    targets: [],
    ingressErrors: { count: 0, first: [] },
    notes: plan.mode === "quick" ? ["quick mode: sizes far below the targets' sizes"] : [],
  };
}

function gitState(): BenchResult["git"] {
  const git = (...args: string[]) => execFileSync("git", args, { cwd: REPO_ROOT, encoding: "utf8" }).trim();
  try {
    return {
      sha: git("rev-parse", "--short", "HEAD"),
      dirty: git("status", "--porcelain", "--untracked-files=no") !== "",
    };
  } catch {
    return { sha: "unknown", dirty: true };
  }
}

function resultPath(plan: BenchPlan, result: BenchResult): string {
  if (plan.out) return resolve(plan.out);
  const date = result.startedAt.slice(0, 10);
  const suffix = plan.mode === "quick" ? "-quick" : "";
  return join(REPO_ROOT, "bench", "results", `${date}-${result.git.sha}${suffix}.json`);
}

async function main(): Promise<void> {
  const command = parseCommand(process.argv.slice(2));
  if (command.kind === "compare") {
    const read = (file: string) => JSON.parse(readFileSync(file, "utf8")) as BenchResult;
    process.stdout.write(`${compareResults(read(command.before), read(command.after))}\n`);
    return;
  }
  const { plan } = command;
  const classic = plan.scenarios.filter((s) => s !== "F");
  const result = classic.length ? await run({ ...plan, scenarios: classic }) : recoveryOnlyResult(plan);
  if (plan.scenarios.includes("F")) {
    // On its own, after A-D have stopped their processes: a whole `beacon start` of its own, killed piece by piece.
    result.recovery = await runRecovery({ repoRoot: REPO_ROOT, ...plan.recovery, keep: plan.keep, progress });
    result.targets = checkTargets(result);
    result.finishedAt = new Date().toISOString();
    result.seconds = Math.round((Date.now() - new Date(result.startedAt).getTime()) / 100) / 10;
    result.machine.loadAverageAtEnd = loadavg().map((l) => Math.round(l * 100) / 100);
  }
  const file = resultPath(command.plan, result);
  mkdirSync(dirname(file), { recursive: true });
  const json = `${JSON.stringify(result, null, 2)}\n`;
  writeFileSync(file, json);
  process.stdout.write(json);
  process.stderr.write(`\n${renderTable(result)}\nresult: ${relative(process.cwd(), file)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    error instanceof UsageError ? `${error.message}\n` : `bench: ${(error as Error)?.stack ?? error}\n`,
  );
  process.exit(error instanceof UsageError ? 2 : 1);
});
