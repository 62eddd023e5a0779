import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres } from "../src/embedded.ts";
import { applyMigrations } from "../src/migrate.ts";
import { migrationsDir } from "../src/paths.ts";
import { withPgClient } from "../src/pg.ts";
import { TEMPLATE_DATABASE, TEST_SERVER_ENV, withDatabase } from "../src/testing.ts";

/**
 * Starts one real PostgreSQL for the whole test run (or uses BEACON_TEST_DATABASE_URL's server) and migrates a
 * template database; each test file copies it into a throwaway database of its own.
 */
export default async function setup(_project: TestProject) {
  const external = process.env.BEACON_TEST_DATABASE_URL;
  let serverUrl: string;
  let stop = async () => {};
  if (external) {
    serverUrl = external;
  } else {
    const dir = mkdtempSync(join(tmpdir(), "beacon-test-pg-"));
    const pg = await startEmbeddedPostgres({ dataDir: dir, unsafeFast: true });
    serverUrl = pg.connectionString("postgres");
    stop = async () => {
      await pg.stop();
      rmSync(dir, { recursive: true, force: true });
    };
  }
  await withPgClient(serverUrl, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS "${TEMPLATE_DATABASE}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${TEMPLATE_DATABASE}"`);
  });
  await applyMigrations(withDatabase(serverUrl, TEMPLATE_DATABASE), migrationsDir);
  process.env[TEST_SERVER_ENV] = serverUrl;
  return stop;
}
