import { rmSync } from "node:fs";
import { applyMigrations, migrationsDir } from "@beacon/db";
import { startEmbeddedPostgres } from "@beacon/db/embedded";
import pg from "pg";

/**
 * A PostgreSQL of the benchmark's own, in a temporary folder: the embedded server `npm start` runs, with the
 * same settings (durable unless --unsafe-fast), plus pg_stat_statements so that the report can count the
 * statements each session costs.
 */

export interface BenchPostgres {
  /** postgresql:// URL of the migrated `beacon` database. */
  readonly url: string;
  /** A connection for seeding and measuring; not used while the driver runs. */
  readonly client: pg.Client;
  postmasterPid(): number;
  settings(): Promise<Record<string, string>>;
  stop(): Promise<void>;
}

const DATABASE = "beacon";

export async function startBenchPostgres(dataDir: string, options: { unsafeFast: boolean }): Promise<BenchPostgres> {
  const server = await startEmbeddedPostgres({
    dataDir,
    unsafeFast: options.unsafeFast,
    settings: { shared_preload_libraries: "pg_stat_statements", "pg_stat_statements.track": "top" },
  });
  try {
    const admin = new pg.Client({ connectionString: server.connectionString("postgres") });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${DATABASE}`);
    await admin.end();
    const url = server.connectionString(DATABASE);
    await applyMigrations(url, migrationsDir);
    const client = new pg.Client({ connectionString: url, application_name: "beacon-bench" });
    client.on("error", () => {});
    await client.connect();
    await client.query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
    return {
      url,
      client,
      postmasterPid: () => server.pid,
      settings: async () => {
        const names = [
          "server_version",
          "shared_buffers",
          "work_mem",
          "max_connections",
          "fsync",
          "synchronous_commit",
          "full_page_writes",
          "random_page_cost",
          "effective_cache_size",
        ];
        const { rows } = await client.query<{ name: string; setting: string }>(
          "SELECT name, current_setting(name) AS setting FROM unnest($1::text[]) AS name",
          [names],
        );
        return Object.fromEntries(rows.map((r) => [r.name, r.setting]));
      },
      stop: async () => {
        await client.end().catch(() => {});
        await server.stop();
      },
    };
  } catch (error) {
    await server.stop().catch(() => {});
    throw error;
  }
}

export function removeDataDir(dataDir: string): void {
  rmSync(dataDir, { recursive: true, force: true });
}

/** Statements executed since the last reset (pg_stat_statements), the benchmark's own left out. */
export async function statementStats(client: pg.Client): Promise<StatementStats> {
  const { rows } = await client.query<{ query: string; calls: string; total: number; mean: number }>(`
    SELECT query, calls::text AS calls, total_exec_time AS total, mean_exec_time AS mean
    FROM pg_stat_statements
    WHERE query NOT ILIKE '%pg_stat_statements%' AND query NOT ILIKE '%pg_stat_database%'
    ORDER BY total_exec_time DESC`);
  const top = rows.slice(0, 20).map((r) => ({
    calls: Number(r.calls),
    meanMs: Math.round(r.mean * 1000) / 1000,
    totalMs: Math.round(r.total),
    query: r.query.replace(/\s+/g, " ").slice(0, 160),
  }));
  return { statements: rows.reduce((sum, r) => sum + Number(r.calls), 0), top };
}

export interface StatementStats {
  statements: number;
  top: { calls: number; meanMs: number; totalMs: number; query: string }[];
}

export async function resetStatementStats(client: pg.Client): Promise<void> {
  await client.query("SELECT pg_stat_statements_reset()");
}

/** Committed transactions in the database so far (pg_stat_database). */
/** Row updates per table and how many of them were HOT (no new index entries), from pg_stat_user_tables. */
export type UpdateCounts = Record<string, { updates: number; hot: number }>;

const UPDATED_TABLES = ["Device", "DeviceParameter", "CwmpSession", "Task"];

export async function updateCounts(client: pg.Client): Promise<UpdateCounts> {
  // The statistics collector flushes backends' counters at most once a second.
  await new Promise((resolve) => setTimeout(resolve, 1_100));
  const { rows } = await client.query<{ relname: string; upd: string; hot: string }>(
    "SELECT relname, n_tup_upd::text AS upd, n_tup_hot_upd::text AS hot FROM pg_stat_user_tables WHERE relname = ANY($1)",
    [UPDATED_TABLES],
  );
  return Object.fromEntries(rows.map((r) => [r.relname, { updates: Number(r.upd), hot: Number(r.hot) }]));
}

/** What happened between two readings: updates, HOT updates and the HOT share, per table. */
export function updateDelta(
  before: UpdateCounts,
  after: UpdateCounts,
): Record<string, { updates: number; hot: number; hotShare: number }> {
  return Object.fromEntries(
    Object.entries(after).map(([table, a]) => {
      const updates = a.updates - (before[table]?.updates ?? 0);
      const hot = a.hot - (before[table]?.hot ?? 0);
      return [table, { updates, hot, hotShare: updates > 0 ? Math.round((hot / updates) * 100) / 100 : 0 }];
    }),
  );
}

export async function transactionCount(client: pg.Client): Promise<number> {
  const { rows } = await client.query<{ n: string }>(
    "SELECT (xact_commit + xact_rollback)::text AS n FROM pg_stat_database WHERE datname = current_database()",
  );
  return Number(rows[0]?.n ?? 0);
}
