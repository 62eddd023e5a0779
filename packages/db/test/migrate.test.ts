import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { applyMigrations, MigrationChecksumMismatch, pendingMigrations } from "../src/migrate.ts";
import { migrationsDir } from "../src/paths.ts";
import { withPgClient } from "../src/pg.ts";
import { createEmptyDatabase } from "../src/testing.ts";

const drops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const drop of drops.splice(0)) await drop();
});

async function emptyDatabase() {
  const database = await createEmptyDatabase();
  drops.push(database.drop);
  return database.url;
}

function migrationsFolder(files: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), "beacon-migrations-"));
  for (const [name, sql] of Object.entries(files)) {
    mkdirSync(join(dir, name));
    writeFileSync(join(dir, name, "migration.sql"), sql);
  }
  return dir;
}

describe("applyMigrations", () => {
  it("applies every migration once and records it in Prisma's _prisma_migrations format", async () => {
    const url = await emptyDatabase();
    const first = await applyMigrations(url, migrationsDir);
    expect(first.applied.length).toBeGreaterThan(0);
    const second = await applyMigrations(url, migrationsDir);
    expect(second).toEqual({ applied: [], alreadyApplied: first.applied.length });
    const rows = await withPgClient(url, (c) =>
      c.query(`SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations"`),
    );
    expect(rows.rows).toHaveLength(first.applied.length);
    for (const row of rows.rows) {
      expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.applied_steps_count).toBe(1);
    }
    expect(await pendingMigrations(url, migrationsDir)).toEqual([]);
  });

  it("applies each migration exactly once when two processes start at the same time", async () => {
    const url = await emptyDatabase();
    const dir = migrationsFolder({
      "20260101000000_a": `CREATE TABLE once_a (id int); SELECT pg_sleep(0.2);`,
      "20260101000001_b": `CREATE TABLE once_b (id int);`,
    });
    const [one, two] = await Promise.all([applyMigrations(url, dir), applyMigrations(url, dir)]);
    expect([...one.applied, ...two.applied].sort()).toEqual(["20260101000000_a", "20260101000001_b"]);
  });

  it("stops with a clear message when an applied migration was changed", async () => {
    const url = await emptyDatabase();
    const dir = migrationsFolder({ "20260101000000_a": `CREATE TABLE changed_a (id int);` });
    await applyMigrations(url, dir);
    writeFileSync(join(dir, "20260101000000_a", "migration.sql"), `CREATE TABLE changed_a (id bigint);`);
    await expect(applyMigrations(url, dir)).rejects.toThrow(MigrationChecksumMismatch);
    await expect(applyMigrations(url, dir)).rejects.toThrow(/was changed after it was applied/);
  });

  it("rolls back a failing migration and leaves it pending", async () => {
    const url = await emptyDatabase();
    const dir = migrationsFolder({
      "20260101000000_a": `CREATE TABLE ok_a (id int);`,
      "20260101000001_b": `CREATE TABLE broken_b (id int); SELECT * FROM missing_table;`,
    });
    await expect(applyMigrations(url, dir)).rejects.toThrow(/20260101000001_b failed/);
    expect(await pendingMigrations(url, dir)).toEqual(["20260101000001_b"]);
    const exists = await withPgClient(url, (c) => c.query(`SELECT to_regclass('broken_b') AS t`));
    expect(exists.rows[0].t).toBeNull();
  });
});
