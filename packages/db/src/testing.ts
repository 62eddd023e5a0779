import { randomBytes } from "node:crypto";
import { createDb, type Db } from "./client.ts";
import { withPgClient } from "./pg.ts";

/** Set by the test global setup (test/global-setup.ts) to a server holding a migrated template database. */
export const TEST_SERVER_ENV = "BEACON_TEST_SERVER_URL";
export const TEMPLATE_DATABASE = "beacon_template";

export interface TestDatabase {
  url: string;
  db: Db;
  drop: () => Promise<void>;
}

/** A throwaway database, copied from the migrated template, for one test file. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env[TEST_SERVER_ENV];
  if (!serverUrl) {
    throw new Error(`${TEST_SERVER_ENV} is not set: run tests through vitest (its global setup starts PostgreSQL)`);
  }
  const name = `beacon_test_${randomBytes(6).toString("hex")}`;
  await withPgClient(serverUrl, (client) => client.query(`CREATE DATABASE "${name}" TEMPLATE "${TEMPLATE_DATABASE}"`));
  const url = withDatabase(serverUrl, name);
  const db = createDb(url, { maxConnections: 5, applicationName: "beacon-test" });
  return {
    url,
    db,
    drop: async () => {
      await db.$disconnect();
      await withPgClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

/** An empty database (no migrations), for tests of the migration runner itself. */
export async function createEmptyDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const serverUrl = process.env[TEST_SERVER_ENV];
  if (!serverUrl) throw new Error(`${TEST_SERVER_ENV} is not set`);
  const name = `beacon_empty_${randomBytes(6).toString("hex")}`;
  await withPgClient(serverUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  return {
    url: withDatabase(serverUrl, name),
    drop: () =>
      withPgClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(
        () => {},
      ),
  };
}

export function withDatabase(connectionString: string, database: string): string {
  const url = new URL(connectionString);
  url.pathname = `/${database}`;
  return url.toString();
}
