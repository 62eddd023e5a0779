import { createDb, type Db } from "@beacon/db";
import { createTestDatabase, type DatabaseProxy, startDatabaseProxy, type TestDatabase } from "@beacon/db/testing";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../src/app.ts";
import { rawRequest, TestCpe } from "./helpers/test-cpe.ts";

/** Words of an internal error that must never reach a CPE or an anonymous caller. */
const INTERNAL =
  /prisma|P10\d\d|127\.0\.0\.1|database server|ECONN|Connection terminated|postgres|secret detail|stack/i;

describe("a database outage, as CPEs and anonymous callers see it", () => {
  let database: TestDatabase;
  let proxy: DatabaseProxy;
  let db: Db;
  let app: FastifyInstance;
  let url: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    proxy = await startDatabaseProxy(database.url);
    db = createDb(proxy.url, { maxConnections: 4, applicationName: "beacon-outage-test" });
    app = await buildApp({
      db,
      cwmp: { admission: "open", dataDir: "/tmp/beacon-test-data", readNetworkMaps: false, collectMetrics: false },
    });
    await app.listen({ port: 0, host: "127.0.0.1" });
    const address = app.server.address();
    url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  });
  afterAll(async () => {
    await app.close();
    await db.$disconnect();
    await proxy.close();
    await database.drop();
  });

  it("answers an Inform with 503, Retry-After and an empty body, and /healthz with a bare 'unavailable'", async () => {
    await proxy.cut();
    try {
      const cpe = new TestCpe(url);
      const inform = await cpe.inform(["1 BOOT"]);
      cpe.close();
      expect(inform.status).toBe(503);
      expect(Number(inform.headers["retry-after"])).toBeGreaterThan(0);
      expect(inform.body).toBe("");

      const health = await rawRequest(url, { method: "GET", path: "/healthz" });
      expect(health.status).toBe(503);
      expect(JSON.parse(health.body)).toEqual({ status: "unavailable" });
    } finally {
      await proxy.restore();
    }
  });

  it("answers a session under way with 503 and CWMP fault 8002, naming nothing internal", async () => {
    const cpe = new TestCpe(url, { namespace: "urn:dslforum-org:cwmp-1-0" });
    expect((await cpe.inform(["1 BOOT"])).status).toBe(200);
    await proxy.cut();
    try {
      const next = await cpe.send({ type: "Empty" });
      cpe.close();
      expect(next.status).toBe(503);
      expect(Number(next.headers["retry-after"])).toBeGreaterThan(0);
      expect(next.message).toMatchObject({ type: "Fault", faultCode: 8002, faultString: "Internal error" });
      expect(next.body).toContain('xmlns:cwmp="urn:dslforum-org:cwmp-1-0"');
      expect(next.body).not.toMatch(INTERNAL);
    } finally {
      await proxy.restore();
    }
  });

  it("serves again once the database is back, through the same pool (no restart)", async () => {
    await proxy.cut();
    expect((await rawRequest(url, { method: "GET", path: "/healthz" })).status).toBe(503);
    await proxy.restore();
    const health = await rawRequest(url, { method: "GET", path: "/healthz" });
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toEqual({ status: "ok" });
    const cpe = new TestCpe(url);
    expect((await cpe.inform(["1 BOOT"])).status).toBe(200);
    // The empty POST gets the first request of the new device's session (its network map), or the end of it.
    expect([200, 204]).toContain((await cpe.send({ type: "Empty" })).status);
    cpe.close();
  });

  it("answers a database error that is not an outage with a bare 500, its text kept in the log", async () => {
    await database.db.$executeRawUnsafe(`
      CREATE FUNCTION refuse_device() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'secret detail of the server at 127.0.0.1'; END $$`);
    await database.db.$executeRawUnsafe(
      `CREATE TRIGGER refuse_device BEFORE INSERT ON "Device" FOR EACH ROW EXECUTE FUNCTION refuse_device()`,
    );
    try {
      const cpe = new TestCpe(url, { serialNumber: "REFUSED0001" });
      const inform = await cpe.inform(["0 BOOTSTRAP"]);
      cpe.close();
      expect(inform.status).toBe(500);
      expect(inform.body).toBe("");
    } finally {
      await database.db.$executeRawUnsafe(`DROP TRIGGER refuse_device ON "Device"`);
    }
  });

  it("never shows an internal message on other routes either (file server during an outage)", async () => {
    await proxy.cut();
    try {
      const file = await rawRequest(url, { method: "GET", path: "/files/00000000-0000-0000-0000-000000000000/t/x" });
      expect([503, 404]).toContain(file.status);
      expect(file.body).not.toMatch(INTERNAL);
    } finally {
      await proxy.restore();
    }
  });
});
