import { createHash, randomUUID } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type pg from "pg";
import { withPgClient } from "./pg.ts";

export interface Migration {
  name: string;
  sql: string;
  /** sha256 of migration.sql, as Prisma records it in _prisma_migrations.checksum */
  checksum: string;
}

export class MigrationChecksumMismatch extends Error {
  constructor(readonly migrationName: string) {
    super(
      `migration ${migrationName} was changed after it was applied to this database; ` +
        "restore prisma/migrations/" +
        migrationName +
        "/migration.sql as it was, and put the change in a new migration",
    );
  }
}

export class MigrationFailed extends Error {
  constructor(
    readonly migrationName: string,
    reason: string,
  ) {
    super(`migration ${migrationName} failed: ${reason}`);
  }
}

/** Reads prisma/migrations in Prisma's layout (<timestamp>_<name>/migration.sql), in order. */
export function readMigrations(migrationsDir: string): Migration[] {
  return readdirSync(migrationsDir)
    .filter((entry) => statSync(join(migrationsDir, entry)).isDirectory())
    .sort()
    .map((name) => {
      const sql = readFileSync(join(migrationsDir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

// The table Prisma's migrate engine keeps, so that `prisma migrate status` agrees with us.
const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

// Any constant shared by every Beacon process: pg_advisory_lock keys are global to the database.
const MIGRATION_LOCK_KEY = 72_069_1_0;

export interface MigrationReport {
  applied: string[];
  alreadyApplied: number;
}

/**
 * Applies pending migrations in order, each in its own transaction, under an advisory lock so that two
 * processes starting at once apply each migration exactly once. A changed checksum stops everything.
 */
export async function applyMigrations(connectionString: string, migrationsDir: string): Promise<MigrationReport> {
  const migrations = readMigrations(migrationsDir);
  return withPgClient(connectionString, async (client) => {
    await client.query("SET client_min_messages = warning");
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    try {
      await client.query(CREATE_MIGRATIONS_TABLE);
      const applied = await appliedMigrations(client);
      const report: MigrationReport = { applied: [], alreadyApplied: 0 };
      for (const migration of migrations) {
        const record = applied.get(migration.name);
        if (record) {
          if (record !== migration.checksum) throw new MigrationChecksumMismatch(migration.name);
          report.alreadyApplied++;
          continue;
        }
        await applyOne(client, migration);
        report.applied.push(migration.name);
      }
      return report;
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]).catch(() => {});
    }
  });
}

/** Names of migrations not yet applied to the database, for `beacon doctor`. */
export async function pendingMigrations(connectionString: string, migrationsDir: string): Promise<string[]> {
  const migrations = readMigrations(migrationsDir);
  return withPgClient(connectionString, async (client) => {
    const exists = await client.query("SELECT to_regclass('_prisma_migrations') IS NOT NULL AS present");
    if (!exists.rows[0]?.present) return migrations.map((m) => m.name);
    const applied = await appliedMigrations(client);
    return migrations.filter((m) => !applied.has(m.name)).map((m) => m.name);
  });
}

async function appliedMigrations(client: pg.Client): Promise<Map<string, string>> {
  const result = await client.query<{ migration_name: string; checksum: string }>(
    `SELECT migration_name, checksum FROM "_prisma_migrations"
     WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
  );
  return new Map(result.rows.map((row) => [row.migration_name, row.checksum]));
}

async function applyOne(client: pg.Client, migration: Migration): Promise<void> {
  const id = randomUUID();
  await client.query("BEGIN");
  try {
    await client.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at) VALUES ($1, $2, $3, now())`,
      [id, migration.checksum, migration.name],
    );
    await client.query(migration.sql);
    await client.query(`UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1`, [
      id,
    ]);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw new MigrationFailed(migration.name, (error as Error).message);
  }
}
