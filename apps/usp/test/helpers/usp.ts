import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Db } from "@beacon/db";
import { createTestDatabase, type TestDatabase } from "@beacon/db/testing";
import { buildUspApp, type UspApp } from "../../src/app.ts";
import type { UspSettings } from "../../src/config.ts";
import { createLogger } from "../../src/log.ts";

export const CONTROLLER_ID = "proto::beacon-test";
export const BOOTSTRAP = { username: "usp-bootstrap", password: "usp-bootstrap-secret" };

export interface RunningUsp {
  app: UspApp;
  wsUrl: string;
}

export interface UspFixture {
  database: TestDatabase;
  db: Db;
  start(settings?: Partial<UspSettings>): Promise<RunningUsp>;
  close(): Promise<void>;
}

/** A throwaway database and USP controllers on it, each on a free port. */
export async function uspFixture(): Promise<UspFixture> {
  const database = await createTestDatabase();
  const apps: UspApp[] = [];
  return {
    database,
    db: database.db,
    async start(settings = {}) {
      const app = buildUspApp({
        db: database.db,
        log: createLogger((process.env.USP_TEST_LOG as "info" | undefined) ?? "silent"),
        settings: {
          endpointId: CONTROLLER_ID,
          admission: "bootstrap",
          bootstrapUsername: BOOTSTRAP.username,
          bootstrapPassword: BOOTSTRAP.password,
          allowlist: [],
          allowBasicWithoutTls: true,
          recordLimitBytes: 64 * 1024,
          pollMs: 100,
          ...settings,
        },
      });
      await new Promise<void>((resolve) => app.server.listen(0, "127.0.0.1", resolve));
      await app.start();
      apps.push(app);
      const address = app.server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      return { app, wsUrl: `ws://127.0.0.1:${port}/usp` };
    },
    async close() {
      for (const app of apps) await app.close();
      await database.drop();
    },
  };
}

export const MOSQUITTO = process.env.MOSQUITTO_BIN ?? "/usr/sbin/mosquitto";

export interface Broker {
  url: string;
  stop(): Promise<void>;
}

/** A real Mosquitto on a free port with a throwaway configuration (anonymous clients, MQTT 3.1.1 and 5). */
export async function startMosquitto(): Promise<Broker> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "beacon-mosquitto-"));
  const config = join(dir, "mosquitto.conf");
  writeFileSync(config, `listener ${port} 127.0.0.1\nallow_anonymous true\npersistence false\nlog_dest none\n`);
  const child = spawn(MOSQUITTO, ["-c", config], { stdio: "ignore" });
  const url = `mqtt://127.0.0.1:${port}`;
  const end = Date.now() + 10_000;
  while (!(await accepts(port))) {
    if (Date.now() > end || child.exitCode !== null) throw new Error(`mosquitto did not start on port ${port}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url,
    async stop() {
      child.kill("SIGTERM");
      await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once("exit", resolve)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function mosquittoAvailable(): boolean {
  return existsSync(MOSQUITTO);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function accepts(port: number): Promise<boolean> {
  const { connect } = await import("node:net");
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

export async function eventually<T>(what: string, check: () => Promise<T> | T, ms = 10_000): Promise<NonNullable<T>> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
