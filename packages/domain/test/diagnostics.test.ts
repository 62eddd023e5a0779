import type { Task } from "@beacon/db";
import { createTestDatabase, type TestDatabase } from "@beacon/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { diagnosticObject } from "../src/diagnostics/diagnostic-objects.ts";
import {
  dateTimeMicros,
  type PingResult,
  parseDiagnosticResult,
  type ThroughputResult,
} from "../src/diagnostics/diagnostic-results.ts";
import {
  completeDiagnostic,
  onDiagnosticsComplete,
  settleDiagnostics,
  startDiagnostic,
} from "../src/diagnostics/diagnostics.ts";
import { healthCheck } from "../src/diagnostics/health-check.ts";
import { loadMonitoringMappings } from "../src/monitoring/monitoring-mappings.ts";
import { recordSamples } from "../src/monitoring/record-samples.ts";
import { claimNextTask, completeTask } from "../src/tasks/task-queue.ts";
import { createTenant, ensurePlatformTenant } from "../src/tenants/tenants.ts";

const actor = { label: "support@example.net" };
const mappings = loadMonitoringMappings();
const TR181 = { oui: "1C61B4", productClass: "Device2", manufacturer: "TP-Link", dataModelRoot: "Device" };
const TR098 = {
  oui: "00259E",
  productClass: "EG8145V5",
  manufacturer: "Huawei Technologies Co., Ltd",
  dataModelRoot: "InternetGatewayDevice",
};
const seconds = (n: number) => n * 1000;

describe("remote diagnostics", () => {
  let database: TestDatabase;
  let tenantId: string;
  const t0 = new Date("2026-11-24T10:00:00Z");

  beforeAll(async () => {
    database = await createTestDatabase();
    const platform = await ensurePlatformTenant(database.db);
    tenantId = (await createTenant(database.db, { name: "Hotel Lumière", kind: "hotel", parentId: platform.id })).id;
  });
  afterAll(() => database.drop());

  async function device(serialNumber: string, identity: typeof TR181 | typeof TR098, parameters: string[] = []) {
    const created = await database.db.device.create({
      data: { tenantId, serialNumber, ...identity, lastInformAt: t0, periodicInformInterval: 600 },
    });
    if (parameters.length) {
      await database.db.deviceParameter.createMany({
        data: parameters.map((name) => ({ deviceId: created.id, name, value: "None" })),
      });
    }
    return created;
  }

  /** The session runs the device's next task and the CPE answers it. */
  async function runTask(deviceId: string, at: Date, result: object | null = { status: 0 }): Promise<Task> {
    const task = await claimNextTask(database.db, deviceId, at);
    expect(task).not.toBeNull();
    await completeTask(database.db, task!.id, result as never, new Date(at.getTime() + 500));
    return task!;
  }

  const values = (path: string, fields: Record<string, string>) =>
    Object.entries(fields).map(([name, value]) => ({ name: `${path}${name}`, value }));

  it("runs a ping on the TR-181 object: set, event, read, parsed into latency and loss", async () => {
    const db = database.db;
    const d = await device("TR181-PING", TR181, ["Device.IP.Diagnostics.IPPing.DiagnosticsState"]);
    const diagnostic = await startDiagnostic(db, {
      deviceId: d.id,
      kind: "ping",
      params: { host: "9.9.9.9" },
      actor,
      now: t0,
    });
    expect(diagnostic).toMatchObject({ kind: "ping", state: "requested", path: "Device.IP.Diagnostics.IPPing." });
    const set = await db.task.findUniqueOrThrow({ where: { id: diagnostic.setTaskId! } });
    expect(set.kind).toBe("setParameterValues");
    expect(set.args).toEqual({
      values: [
        { name: "Device.IP.Diagnostics.IPPing.Host", value: "9.9.9.9", type: "xsd:string" },
        { name: "Device.IP.Diagnostics.IPPing.NumberOfRepetitions", value: "4", type: "xsd:unsignedInt" },
        { name: "Device.IP.Diagnostics.IPPing.Timeout", value: "1000", type: "xsd:unsignedInt" },
        { name: "Device.IP.Diagnostics.IPPing.DataBlockSize", value: "64", type: "xsd:unsignedInt" },
        { name: "Device.IP.Diagnostics.IPPing.DiagnosticsState", value: "Requested", type: "xsd:string" },
      ],
    });
    await expect(
      startDiagnostic(db, { deviceId: d.id, kind: "ping", params: { host: "1.1.1.1" }, actor }),
    ).rejects.toThrow("a ping diagnostic is still running on this device");

    await runTask(d.id, new Date(t0.getTime() + seconds(5)));
    // The CPE informs "8 DIAGNOSTICS COMPLETE".
    const collecting = await onDiagnosticsComplete(db, d.id, new Date(t0.getTime() + seconds(20)));
    expect(collecting.map((c) => c.state)).toEqual(["collecting"]);
    const read = await db.task.findUniqueOrThrow({ where: { id: collecting[0]!.readTaskId! } });
    expect(read.args).toEqual({ names: ["Device.IP.Diagnostics.IPPing."] });

    // The same session reads the results; the session layer hands them over.
    const answer = values("Device.IP.Diagnostics.IPPing.", {
      DiagnosticsState: "Complete",
      Host: "9.9.9.9",
      IPAddressUsed: "100.64.12.7",
      SuccessCount: "4",
      FailureCount: "0",
      AverageResponseTime: "12",
      MinimumResponseTime: "9",
      MaximumResponseTime: "17",
      AverageResponseTimeDetailed: "12345",
      MinimumResponseTimeDetailed: "9120",
      MaximumResponseTimeDetailed: "16980",
    });
    const [finished] = await completeDiagnostic(db, d.id, answer, new Date(t0.getTime() + seconds(21)));
    expect(finished!.state).toBe("complete");
    expect(finished!.result).toEqual({
      kind: "ping",
      host: "9.9.9.9",
      ipAddressUsed: "100.64.12.7",
      sent: 4,
      received: 4,
      lossPercent: 0,
      minMs: 9.12,
      avgMs: 12.345,
      maxMs: 16.98,
    } satisfies PingResult);
    expect(finished!.summary).toBe("4 of 4 replies from 9.9.9.9, 0% loss; round trip min 9.1 / avg 12.3 / max 17 ms");
    const event = await db.domainEvent.findFirst({ where: { subjectId: diagnostic.id } });
    expect(event).toMatchObject({ type: "diagnostic.completed", deviceId: d.id });
  });

  it("runs a ping on the TR-098 object and reports the loss", async () => {
    const db = database.db;
    const d = await device("TR098-PING", TR098);
    const diagnostic = await startDiagnostic(db, {
      deviceId: d.id,
      kind: "ping",
      params: { host: "acs.example.net", repetitions: 8, timeoutMs: 2000 },
      actor,
      now: t0,
    });
    expect(diagnostic.path).toBe("InternetGatewayDevice.IPPingDiagnostics.");
    await runTask(d.id, new Date(t0.getTime() + seconds(5)));
    await onDiagnosticsComplete(db, d.id, new Date(t0.getTime() + seconds(30)));
    const [finished] = await completeDiagnostic(
      db,
      d.id,
      values("InternetGatewayDevice.IPPingDiagnostics.", {
        DiagnosticsState: "Complete",
        Host: "acs.example.net",
        SuccessCount: "6",
        FailureCount: "2",
        AverageResponseTime: "31",
        MinimumResponseTime: "22",
        MaximumResponseTime: "58",
      }),
    );
    expect(finished!.result).toMatchObject({ sent: 8, received: 6, lossPercent: 25, minMs: 22, avgMs: 31, maxMs: 58 });
    expect(finished!.summary).toBe(
      "6 of 8 replies from acs.example.net, 25% loss; round trip min 22 / avg 31 / max 58 ms",
    );
  });

  it("measures download throughput on TR-181 from BOMTime, EOMTime and TestBytesReceived", async () => {
    const db = database.db;
    const d = await device("TR181-DL", TR181);
    const diagnostic = await startDiagnostic(db, {
      deviceId: d.id,
      kind: "download",
      params: { url: "http://speed.example.net/100MB.bin", connections: 4 },
      actor,
      now: t0,
    });
    const set = await db.task.findUniqueOrThrow({ where: { id: diagnostic.setTaskId! } });
    expect((set.args as { values: { name: string }[] }).values.map((v) => v.name)).toEqual([
      "Device.IP.Diagnostics.DownloadDiagnostics.DownloadURL",
      "Device.IP.Diagnostics.DownloadDiagnostics.NumberOfConnections",
      "Device.IP.Diagnostics.DownloadDiagnostics.DiagnosticsState",
    ]);
    await runTask(d.id, new Date(t0.getTime() + seconds(5)));
    await onDiagnosticsComplete(db, d.id, new Date(t0.getTime() + seconds(40)));
    const [finished] = await completeDiagnostic(
      db,
      d.id,
      values("Device.IP.Diagnostics.DownloadDiagnostics.", {
        DiagnosticsState: "Complete",
        DownloadURL: "http://speed.example.net/100MB.bin",
        ROMTime: "2026-11-24T10:00:10.000000Z",
        BOMTime: "2026-11-24T10:00:10.025000Z",
        EOMTime: "2026-11-24T10:00:20.025000Z",
        TestBytesReceived: "125000000",
        TotalBytesReceived: "125400000",
        TCPOpenRequestTime: "2026-11-24T10:00:09.990000Z",
        TCPOpenResponseTime: "2026-11-24T10:00:09.998500Z",
      }),
    );
    expect(finished!.result).toEqual({
      kind: "download",
      url: "http://speed.example.net/100MB.bin",
      bytes: 125_000_000,
      seconds: 10,
      mbps: 100,
      tcpConnectMs: 8.5,
      firstByteMs: 25,
    } satisfies ThroughputResult);
    expect(finished!.summary).toBe("100 Mbit/s download: 125 MB in 10 s (TCP connect 8.5 ms)");
  });

  it("measures download throughput on TR-098 (DiagnosticsState Completed), read by the sweep when no hook ran", async () => {
    const db = database.db;
    const d = await device("TR098-DL", TR098);
    const diagnostic = await startDiagnostic(db, {
      deviceId: d.id,
      kind: "download",
      params: { url: "http://speed.example.net/50MB.bin" },
      actor,
      now: t0,
    });
    expect(diagnostic.path).toBe("InternetGatewayDevice.DownloadDiagnostics.");
    await runTask(d.id, new Date(t0.getTime() + seconds(5)));
    // No "8 DIAGNOSTICS COMPLETE": after two minutes the sweep reads the results itself.
    expect((await settleDiagnostics(db, new Date(t0.getTime() + seconds(60)))).reading).toBe(0);
    expect((await settleDiagnostics(db, new Date(t0.getTime() + seconds(130)))).reading).toBe(1);
    const read = await claimNextTask(db, d.id, new Date(t0.getTime() + seconds(140)));
    expect(read?.args).toEqual({ names: ["InternetGatewayDevice.DownloadDiagnostics."] });
    await completeTask(
      db,
      read!.id,
      {
        values: values("InternetGatewayDevice.DownloadDiagnostics.", {
          DiagnosticsState: "Completed",
          DownloadURL: "http://speed.example.net/50MB.bin",
          ROMTime: "2026-11-24T10:02:00.100Z",
          BOMTime: "2026-11-24T10:02:00.200Z",
          EOMTime: "2026-11-24T10:02:05.700Z",
          TestBytesReceived: "62500000",
          TotalBytesReceived: "62900000",
          TCPOpenRequestTime: "0001-01-01T00:00:00Z",
          TCPOpenResponseTime: "0001-01-01T00:00:00Z",
        }).map((v) => ({ ...v, type: "xsd:string" })),
      },
      new Date(t0.getTime() + seconds(141)),
    );
    expect((await settleDiagnostics(db, new Date(t0.getTime() + seconds(150)))).completed).toBe(1);
    const done = await db.diagnostic.findUniqueOrThrow({ where: { id: diagnostic.id } });
    expect(done.state).toBe("complete");
    expect(done.result).toMatchObject({
      bytes: 62_500_000,
      seconds: 5.5,
      mbps: 90.91,
      tcpConnectMs: null,
      firstByteMs: 100,
    });
  });

  it("fails with the device's error in words, and gives up on a test that never ends", async () => {
    const db = database.db;
    const d = await device("TR181-ERR", TR181);
    await startDiagnostic(db, {
      deviceId: d.id,
      kind: "traceroute",
      params: { host: "nowhere.invalid" },
      actor,
      now: t0,
    });
    await runTask(d.id, new Date(t0.getTime() + seconds(5)));
    await onDiagnosticsComplete(db, d.id, new Date(t0.getTime() + seconds(10)));
    const [failed] = await completeDiagnostic(
      db,
      d.id,
      values("Device.IP.Diagnostics.TraceRoute.", { DiagnosticsState: "Error_CannotResolveHostName" }),
    );
    expect(failed).toMatchObject({
      state: "failed",
      error: "cannot resolve host name",
      summary: "trace route failed: cannot resolve host name",
    });

    const stuck = await startDiagnostic(db, { deviceId: d.id, kind: "wifiScan", actor, now: t0 });
    await runTask(d.id, new Date(t0.getTime() + seconds(5)));
    // Values read while the test still runs leave it waiting.
    await onDiagnosticsComplete(db, d.id, new Date(t0.getTime() + seconds(10)));
    expect(
      await completeDiagnostic(
        db,
        d.id,
        values("Device.WiFi.NeighboringWiFiDiagnostic.", { DiagnosticsState: "Requested" }),
      ),
    ).toEqual([]);
    expect((await db.diagnostic.findUniqueOrThrow({ where: { id: stuck.id } })).state).toBe("requested");
    await settleDiagnostics(db, new Date(t0.getTime() + 31 * 60_000));
    expect(await db.diagnostic.findUniqueOrThrow({ where: { id: stuck.id } })).toMatchObject({
      state: "failed",
      error: "no result within 30 minutes",
    });
  });

  it("ignores values read before the test was even sent", async () => {
    const db = database.db;
    const d = await device("TR181-EARLY", TR181);
    const diagnostic = await startDiagnostic(db, {
      deviceId: d.id,
      kind: "ping",
      params: { host: "9.9.9.9" },
      actor,
      now: t0,
    });
    const stale = values("Device.IP.Diagnostics.IPPing.", { DiagnosticsState: "Complete", SuccessCount: "1" });
    expect(await completeDiagnostic(db, d.id, stale)).toEqual([]);
    expect((await db.diagnostic.findUniqueOrThrow({ where: { id: diagnostic.id } })).state).toBe("requested");
  });

  it("uses a vendor's object only when the device has it", () => {
    expect(diagnosticObject("dns", "InternetGatewayDevice", new Set())).toBe(
      "InternetGatewayDevice.NSLookupDiagnostics.",
    );
    expect(
      diagnosticObject(
        "dns",
        "InternetGatewayDevice",
        new Set(["InternetGatewayDevice.DNS.Diagnostics.NSLookupDiagnostics.DiagnosticsState"]),
      ),
    ).toBe("InternetGatewayDevice.DNS.Diagnostics.NSLookupDiagnostics.");
    expect(diagnosticObject("wifiScan", "InternetGatewayDevice", new Set())).toBeNull();
    expect(diagnosticObject("wifiScan", "Device", new Set())).toBe("Device.WiFi.NeighboringWiFiDiagnostic.");
  });

  it("sums up a device's health with an overall verdict", async () => {
    const db = database.db;
    const d = await device("TR098-HEALTH", TR098, ["InternetGatewayDevice.WANDevice.1.X_GponInterafceConfig.RXPower"]);
    await db.deviceParameter.create({
      data: { deviceId: d.id, name: "InternetGatewayDevice.WANDevice.1.X_GponInterafceConfig.Status", value: "Up" },
    });
    await recordSamples(
      db,
      d.id,
      [{ name: "InternetGatewayDevice.WANDevice.1.X_GponInterafceConfig.RXPower", value: "-19" }],
      {
        at: t0,
        mappings,
      },
    );
    const healthy = await healthCheck(db, d.id, { now: new Date(t0.getTime() + 60_000), mappings });
    expect(healthy.verdict).toBe("healthy");
    expect(Object.fromEntries(healthy.checks.map((c) => [c.check, c.status]))).toMatchObject({
      reachability: "ok",
      link: "ok",
      optical: "ok",
      reboots: "ok",
      alarms: "ok",
    });

    await recordSamples(
      db,
      d.id,
      [{ name: "InternetGatewayDevice.WANDevice.1.X_GponInterafceConfig.RXPower", value: "-28.2" }],
      {
        at: new Date(t0.getTime() + 120_000),
        mappings,
      },
    );
    const weak = await healthCheck(db, d.id, {
      now: new Date(t0.getTime() + 180_000),
      mappings,
      refresh: { pingHost: "9.9.9.9", actor },
    });
    expect(weak.verdict).toBe("failing");
    expect(weak.summary).toContain("optical (received -28.2 dBm: too weak)");
    expect(weak.started.diagnosticIds).toHaveLength(1);
    const queued = await db.task.findMany({
      where: { id: { in: weak.started.taskIds } },
      orderBy: { createdAt: "asc" },
    });
    expect(queued.map((t) => t.kind)).toEqual(["getParameterValues", "setParameterValues"]);
  });
});

describe("diagnostic results", () => {
  it("lists trace route hops of TR-098 (HopHost ...) and TR-181 (Host ...)", () => {
    const tr098 = parseDiagnosticResult("traceroute", "InternetGatewayDevice.TraceRouteDiagnostics.", [
      { name: "InternetGatewayDevice.TraceRouteDiagnostics.DiagnosticsState", value: "Complete" },
      { name: "InternetGatewayDevice.TraceRouteDiagnostics.Host", value: "9.9.9.9" },
      { name: "InternetGatewayDevice.TraceRouteDiagnostics.ResponseTime", value: "14" },
      { name: "InternetGatewayDevice.TraceRouteDiagnostics.RouteHops.2.HopHost", value: "9.9.9.9" },
      { name: "InternetGatewayDevice.TraceRouteDiagnostics.RouteHops.2.HopHostAddress", value: "9.9.9.9" },
      { name: "InternetGatewayDevice.TraceRouteDiagnostics.RouteHops.2.HopRTTimes", value: "13,14,15" },
      { name: "InternetGatewayDevice.TraceRouteDiagnostics.RouteHops.1.HopHost", value: "gw.isp.net" },
      { name: "InternetGatewayDevice.TraceRouteDiagnostics.RouteHops.1.HopHostAddress", value: "100.64.0.1" },
      { name: "InternetGatewayDevice.TraceRouteDiagnostics.RouteHops.1.HopErrorCode", value: "0" },
      { name: "InternetGatewayDevice.TraceRouteDiagnostics.RouteHops.1.HopRTTimes", value: "1,2,1" },
    ]);
    expect(tr098.result).toMatchObject({
      reached: true,
      hops: [
        { hop: 1, host: "gw.isp.net", address: "100.64.0.1", rttMs: [1, 2, 1] },
        { hop: 2, host: "9.9.9.9", address: "9.9.9.9", rttMs: [13, 14, 15] },
      ],
    });
    expect(tr098.summary).toBe("9.9.9.9 reached in 2 hops, 14 ms: gw.isp.net > 9.9.9.9");
    const tr181 = parseDiagnosticResult("traceroute", "Device.IP.Diagnostics.TraceRoute.", [
      { name: "Device.IP.Diagnostics.TraceRoute.DiagnosticsState", value: "Complete" },
      { name: "Device.IP.Diagnostics.TraceRoute.RouteHops.1.Host", value: "gw" },
      { name: "Device.IP.Diagnostics.TraceRoute.RouteHops.1.HostAddress", value: "10.0.0.1" },
      { name: "Device.IP.Diagnostics.TraceRoute.RouteHops.1.RTTimes", value: "3" },
    ]);
    expect(tr181.result).toMatchObject({ hops: [{ host: "gw", address: "10.0.0.1", rttMs: [3] }] });
  });

  it("gives DNS answers and neighbouring networks", () => {
    const dns = parseDiagnosticResult("dns", "Device.DNS.Diagnostics.NSLookupDiagnostics.", [
      { name: "Device.DNS.Diagnostics.NSLookupDiagnostics.DiagnosticsState", value: "Complete" },
      { name: "Device.DNS.Diagnostics.NSLookupDiagnostics.HostName", value: "example.com" },
      { name: "Device.DNS.Diagnostics.NSLookupDiagnostics.SuccessCount", value: "1" },
      { name: "Device.DNS.Diagnostics.NSLookupDiagnostics.Result.1.Status", value: "Success" },
      { name: "Device.DNS.Diagnostics.NSLookupDiagnostics.Result.1.AnswerType", value: "NonAuthoritative" },
      {
        name: "Device.DNS.Diagnostics.NSLookupDiagnostics.Result.1.IPAddresses",
        value: "93.184.215.14,2606:2800:21f:cb07:6820:80da:af6b:8b2c",
      },
      { name: "Device.DNS.Diagnostics.NSLookupDiagnostics.Result.1.DNSServerIP", value: "192.168.1.1" },
      { name: "Device.DNS.Diagnostics.NSLookupDiagnostics.Result.1.ResponseTime", value: "23" },
    ]);
    expect(dns.summary).toBe(
      "example.com -> 93.184.215.14, 2606:2800:21f:cb07:6820:80da:af6b:8b2c (answer from 192.168.1.1 in 23 ms); 1 of 1 lookups answered",
    );
    const scan = parseDiagnosticResult(
      "wifiScan",
      "Device.WiFi.NeighboringWiFiDiagnostic.",
      [
        ["DiagnosticsState", "Complete"],
        ["Result.1.SSID", "Cafe"],
        ["Result.1.Channel", "6"],
        ["Result.1.SignalStrength", "-71"],
        ["Result.1.OperatingFrequencyBand", "2.4GHz"],
        ["Result.2.SSID", "Lumiere-Guest"],
        ["Result.2.Channel", "6"],
        ["Result.2.SignalStrength", "-44"],
        ["Result.2.OperatingFrequencyBand", "2.4GHz"],
        ["Result.3.SSID", "Lumiere-5G"],
        ["Result.3.Channel", "36"],
        ["Result.3.SignalStrength", "-52"],
        ["Result.3.OperatingFrequencyBand", "5GHz"],
      ].map(([name, value]) => ({ name: `Device.WiFi.NeighboringWiFiDiagnostic.${name}`, value: value! })),
    );
    expect(scan.summary).toBe(
      "3 networks: 2 on 2.4GHz, 1 on 5GHz; busiest channel 6 (2); strongest Lumiere-Guest (-44 dBm, channel 6)",
    );
  });

  it("reads TR-069 dateTimes to the microsecond and the unknown time as none", () => {
    expect(dateTimeMicros("2026-11-24T10:00:00.000001Z")! - dateTimeMicros("2026-11-24T10:00:00Z")!).toBe(1);
    expect(dateTimeMicros("0001-01-01T00:00:00Z")).toBeNull();
    expect(dateTimeMicros("")).toBeNull();
  });
});
