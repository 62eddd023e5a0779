import { randomUUID } from "node:crypto";
import type { Db, Role } from "@beacon/db";
import { createTestDatabase, type TestDatabase } from "@beacon/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiServer, startApiServer } from "./helpers/api-server.ts";
import { seedHotelStaff } from "./helpers/hotel-staff.ts";
import { callProcedure } from "./helpers/trpc-http.ts";

/** Diagnostics, health checks and monitoring series through the tRPC endpoint, with the role model. */
describe("diagnostics and monitoring procedures", () => {
  let database: TestDatabase;
  let db: Db;
  let server: ApiServer;
  const users = {} as Record<Role, string>;
  let hotelId: string;
  let deviceId: string;
  const call = (role: Role, path: string, kind: "query" | "mutation", input: unknown) =>
    callProcedure(server.url, users[role], path, kind, input);

  beforeAll(async () => {
    database = await createTestDatabase();
    db = database.db;
    const staff = await seedHotelStaff(db);
    hotelId = staff.hotelId;
    Object.assign(users, staff.users);
    const device = await db.device.create({
      data: {
        tenantId: hotelId,
        oui: "00BEAC",
        productClass: "SimRouter-181",
        serialNumber: "ROOM-201",
        dataModelRoot: "Device",
        lastInformAt: new Date(),
        periodicInformInterval: 3600,
      },
    });
    deviceId = device.id;
    server = await startApiServer(db);
  });
  afterAll(async () => {
    await server?.close();
    await database?.drop();
  });

  it("lets support start a ping and refuses a viewer, naming what is missing", async () => {
    const refused = await call("viewer", "diagnostics.start", "mutation", {
      deviceId,
      kind: "ping",
      params: { host: "9.9.9.9" },
    });
    expect(refused.error?.code).toBe("FORBIDDEN");
    const started = await call("support", "diagnostics.start", "mutation", {
      deviceId,
      kind: "ping",
      params: { host: "9.9.9.9" },
    });
    expect(started.status, started.error?.message).toBe(200);
    expect(started.data).toMatchObject({ kind: "ping", state: "requested", path: "Device.IP.Diagnostics.IPPing." });
    const task = await db.task.findFirstOrThrow({ where: { deviceId, kind: "setParameterValues" } });
    expect(task.createdBy).toBe("support@hotel.example.com");
  });

  it("refuses bad parameters and a second test of the same kind in words", async () => {
    const bad = await call("support", "diagnostics.start", "mutation", {
      deviceId,
      kind: "download",
      params: { url: "file:///etc/passwd" },
    });
    expect(bad.error?.code).toBe("BAD_REQUEST");
    const again = await call("support", "diagnostics.start", "mutation", {
      deviceId,
      kind: "ping",
      params: { host: "1.1.1.1" },
    });
    expect(again.error?.message).toBe("A ping diagnostic is still running on this device.");
  });

  it("pages a device's history, newest first, and gets one; a viewer may read it", async () => {
    for (const [i, summary] of ["old", "middle", "new"].entries()) {
      await db.diagnostic.create({
        data: {
          tenantId: hotelId,
          deviceId,
          kind: "download",
          state: "complete",
          path: "Device.IP.Diagnostics.DownloadDiagnostics.",
          summary,
          requestedBy: "test",
          createdAt: new Date(Date.UTC(2026, 10, 1 + i)),
          completedAt: new Date(Date.UTC(2026, 10, 1 + i)),
        },
      });
    }
    const page = await call("viewer", "diagnostics.list", "query", { deviceId, kind: "download", pageSize: 2 });
    const data = page.data as { rows: { id: string; summary: string }[]; total: number };
    expect(data.total).toBe(3);
    expect(data.rows.map((r) => r.summary)).toEqual(["new", "middle"]);
    const second = await call("viewer", "diagnostics.list", "query", {
      deviceId,
      kind: "download",
      page: 2,
      pageSize: 2,
    });
    expect((second.data as typeof data).rows.map((r) => r.summary)).toEqual(["old"]);
    const one = await call("viewer", "diagnostics.get", "query", { diagnosticId: data.rows[0]!.id });
    expect(one.data).toMatchObject({ summary: "new", kind: "download" });
    const none = await call("viewer", "diagnostics.get", "query", { diagnosticId: randomUUID() });
    expect(none.error?.code).toBe("NOT_FOUND");
  });

  it("reads a health report for anyone and runs a fresh one for support and above", async () => {
    const report = await call("viewer", "diagnostics.health", "query", { deviceId });
    const checks = (report.data as { checks: { check: string; status: string }[] }).checks;
    expect(checks.find((c) => c.check === "reachability")?.status).toBe("ok");
    expect((await call("viewer", "diagnostics.runHealthCheck", "mutation", { deviceId })).error?.code).toBe(
      "FORBIDDEN",
    );
    const run = await call("operator", "diagnostics.runHealthCheck", "mutation", {
      deviceId,
      refresh: { downloadUrl: "http://speed.example.net/10MB.bin" },
    });
    expect(run.status, run.error?.message).toBe(200);
    expect((run.data as { started: { diagnosticIds: string[] } }).started.diagnosticIds).toHaveLength(1);
  });

  it("charts the metrics a device has over 24 hours and 7 days, and spreads optical levels over the domain", async () => {
    const now = Date.now();
    await db.deviceMetric.create({ data: { deviceId, metric: "optical.rxPower", value: -19.5, at: new Date(now) } });
    await db.metricSample.createMany({
      data: [1, 2, 3].map((h) => ({
        deviceId,
        metric: "optical.rxPower",
        value: -19 - h / 10,
        at: new Date(now - h * 3_600_000),
      })),
    });
    const day = await call("viewer", "monitoring.deviceSeries", "query", { deviceId, range: "24h" });
    const series = (day.data as { series: { metric: string; unit: string; points: { readings: number }[] }[] }).series;
    expect(series.map((s) => [s.metric, s.unit])).toEqual([["optical.rxPower", "dBm"]]);
    expect(series[0]!.points).toHaveLength(96);
    expect(series[0]!.points.reduce((n, p) => n + p.readings, 0)).toBe(3);
    const week = await call("viewer", "monitoring.deviceSeries", "query", { deviceId, range: "7d" });
    expect((week.data as { series: { points: unknown[] }[] }).series[0]!.points).toHaveLength(168);
    const spread = await call("viewer", "monitoring.opticalDistribution", "query", { tenantId: hotelId });
    expect(spread.data).toMatchObject({ devices: 1, classes: { good: 1 } });
  });
});
