import { randomBytes } from "node:crypto";
import { connect, createServer, type Server, type Socket } from "node:net";
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

export interface DatabaseProxy {
  /** `url` with its host and port replaced by the proxy's. */
  url: string;
  /** A database outage: every open connection is cut and new ones are refused until restore(). */
  cut: () => Promise<void>;
  /** The database is back on the same address. */
  restore: () => Promise<void>;
  close: () => Promise<void>;
}

/** A TCP proxy in front of a test database, to force real connection failures (no mock of the driver). */
export async function startDatabaseProxy(url: string): Promise<DatabaseProxy> {
  const target = new URL(url);
  const sockets = new Set<Socket>();
  let server: Server | null = null;
  let port = 0;
  const listen = async () => {
    server = createServer((client) => {
      const upstream = connect(Number(target.port), target.hostname);
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on("error", () => {});
        socket.on("close", () => {
          sockets.delete(socket);
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server?.listen(port, "127.0.0.1", resolve));
    const address = server.address();
    port = typeof address === "object" && address ? address.port : 0;
  };
  const stop = async () => {
    const closing = server;
    server = null;
    for (const socket of sockets) socket.destroy();
    if (closing) await new Promise((resolve) => closing.close(resolve));
  };
  await listen();
  const proxied = new URL(url);
  proxied.hostname = "127.0.0.1";
  proxied.port = String(port);
  return { url: proxied.toString(), cut: stop, restore: listen, close: stop };
}
