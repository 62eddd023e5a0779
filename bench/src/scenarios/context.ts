import { cpus } from "node:os";
import type { Db } from "@beacon/db";
import type { BenchPlan } from "../plan.ts";
import type { DriverClient } from "../processes/driver-client.ts";
import {
  type BenchPostgres,
  resetStatementStats,
  type StatementStats,
  statementStats,
  transactionCount,
} from "../processes/postgres.ts";
import { type ProcessGroup, startMeter, type Usage } from "../processes/resources.ts";
import type { ServerProcess } from "../processes/server-process.ts";
import type { TenantTree } from "../seed.ts";

/** Everything a scenario works with; built once by main.ts. */
export interface BenchContext {
  plan: BenchPlan;
  pg: BenchPostgres;
  ingress: ServerProcess;
  baseline: ServerProcess;
  driver: DriverClient;
  /** Prisma, for the domain functions the console would call (wakeDevice, listDevices). */
  db: Db;
  tenants: TenantTree;
  repoRoot: string;
  /** The run's temporary folder (PostgreSQL data, logs). */
  workDir: string;
  progress: (line: string) => void;
}

export interface Measured<T> {
  result: T;
  /** CPU seconds and peak memory per process group over the phase. */
  usage: Usage;
  /** SQL statements and transactions PostgreSQL executed over the phase (pg_stat_statements, pg_stat_database). */
  database: { statements: number; transactions: number; top: StatementStats["top"] };
  /** Wall-clock start and end of the phase, epoch ms (to cut CPU profiles to it). */
  window: { start: number; end: number };
}

/** Runs one measured phase: resources of every process and the database's statement counts around it. */
export async function measure<T>(
  context: BenchContext,
  work: () => Promise<T>,
  /** Another ingress than the bench's own (scenario E's cluster: a primary and its workers, as a tree). */
  ingress: ProcessGroup = { name: "ingress", pid: context.ingress.pid },
): Promise<Measured<T>> {
  const { pg } = context;
  await resetStatementStats(pg.client);
  const transactionsBefore = await transactionCount(pg.client);
  const groups: ProcessGroup[] = [
    ingress,
    { name: "postgres", pid: pg.postmasterPid(), tree: true },
    { name: "driver", pid: context.driver.pid },
    { name: "baseline", pid: context.baseline.pid },
    { name: "bench", pid: process.pid },
  ];
  const meter = startMeter(groups);
  const start = Date.now();
  const result = await work();
  const end = Date.now();
  const usage = meter.stop();
  const stats = await statementStats(pg.client);
  // pg_stat_database counts every transaction, our three reads included, and backends report theirs up to a
  // second late: good for "transactions per session" over thousands of sessions, not for a handful.
  const transactions = (await transactionCount(pg.client)) - transactionsBefore;
  return {
    result,
    usage,
    database: { statements: stats.statements, transactions, top: stats.top },
    window: { start, end },
  };
}

/**
 * CPU milliseconds each process spent per unit of work (session, device, task), and the rate the machine
 * would reach if CPU were the only limit: its cores divided by the CPU all of them take per unit. Unlike the
 * measured rate this hardly moves when other work shares the machine, so it is the figure to compare across
 * runs on a busy machine. `server` is the ingress, or the baseline server for the baseline.
 */
export interface CpuCost {
  server: number;
  postgres: number;
  driver: number;
  /** The bench process itself: the console's side (wakeDevice in C). */
  bench: number;
  total: number;
  cpuBoundRate: number;
}

export function cpuCost(usage: Usage, units: number, server: "ingress" | "baseline" = "ingress"): CpuCost {
  const ms = (group: string) => perUnit((usage[group]?.cpuSeconds ?? 0) * 1000, units);
  const cost = { server: ms(server), postgres: ms("postgres"), driver: ms("driver"), bench: ms("bench") };
  const total = Math.round((cost.server + cost.postgres + cost.driver + cost.bench) * 100) / 100;
  return { ...cost, total, cpuBoundRate: total > 0 ? Math.round((cpus().length * 1000) / total) : 0 };
}

export function perUnit(total: number, units: number): number {
  return units > 0 ? Math.round((total / units) * 100) / 100 : 0;
}
