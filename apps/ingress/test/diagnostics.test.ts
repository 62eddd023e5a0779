import type { Diagnostic } from "@beacon/db";
import { type PingResult, startDiagnostic, type ThroughputResult } from "@beacon/domain";
import { createSimulatedDevice, type SimulatedDevice } from "@beacon/sim";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type IngressFixture, ingressFixture, type RunningIngress } from "./helpers/ingress.ts";
import { BOOTSTRAP, deviceIdOf, eventually, simulatedOnu } from "./helpers/sim-device.ts";

const actor = { label: "support@example.net" };

/**
 * Remote diagnostics end to end: Beacon sets the test's parameters, the simulated device runs it after the
 * session, calls home with "8 DIAGNOSTICS COMPLETE", Beacon reads the object and stores the parsed result.
 */
describe("remote diagnostics against the simulated device", () => {
  let fixture: IngressFixture;
  let ingress: RunningIngress;
  const devices: SimulatedDevice[] = [];

  beforeAll(async () => {
    fixture = await ingressFixture();
    ingress = await fixture.start({ bootstrapUsername: BOOTSTRAP.username, bootstrapPassword: BOOTSTRAP.password });
  });
  afterEach(async () => {
    await Promise.all(devices.splice(0).map((d) => d.close()));
  });
  afterAll(() => fixture.close());

  const models = {
    "TR-098": () => simulatedOnu(ingress.url),
    "TR-181": () =>
      createSimulatedDevice({
        model: "beacon-router-tr181",
        serialNumber: `SIM181${Date.now().toString(36).toUpperCase()}`,
        acsUrl: `${ingress.url}/`,
        username: BOOTSTRAP.username,
        password: BOOTSTRAP.password,
        cwmpNamespace: "1.2",
        timing: { timeScale: 0.001, requestTimeoutMs: 10_000 },
      }),
  };

  /** A registered device that calls home by itself (boot, diagnostics complete), and its id. */
  async function started(root: keyof typeof models) {
    const device = models[root]();
    devices.push(device);
    expect((await device.inform()).outcome).toBe("completed");
    device.start({ boot: false });
    return { device, deviceId: await deviceIdOf(fixture.db, device) };
  }

  /** Starts the test and runs the session that sends it, as a wake-up would. */
  async function run(device: SimulatedDevice, deviceId: string, kind: string, params: Record<string, unknown>) {
    const diagnostic = await startDiagnostic(fixture.db, { deviceId, kind, params, actor });
    const completed = device.waitForSession((t) => t.events.some((e) => e.eventCode === "8 DIAGNOSTICS COMPLETE"));
    const sent = await device.inform(["6 CONNECTION REQUEST"]);
    expect(sent.rpcs).toContain("SetParameterValues");
    const session = await completed;
    expect(session.rpcs).toContain("GetParameterValues");
    return eventually<Diagnostic | null>(`the ${kind} result`, async () => {
      const row = await fixture.db.diagnostic.findUniqueOrThrow({ where: { id: diagnostic.id } });
      return row.state === "complete" || row.state === "failed" ? row : null;
    });
  }

  for (const root of ["TR-098", "TR-181"] as const) {
    it(`runs a ping on a ${root} device and stores its latency and loss`, async () => {
      const { device, deviceId } = await started(root);
      const done = await run(device, deviceId, "ping", { host: "9.9.9.9", repetitions: 5 });
      expect(done.state, done.error ?? "").toBe("complete");
      expect(done.path).toBe(
        root === "TR-098" ? "InternetGatewayDevice.IPPingDiagnostics." : "Device.IP.Diagnostics.IPPing.",
      );
      const result = done.result as unknown as PingResult;
      expect(result).toMatchObject({ kind: "ping", host: "9.9.9.9", sent: 5 });
      expect(result.received).toBeGreaterThan(0);
      expect(result.avgMs).toBeGreaterThan(1);
      expect(result.minMs!).toBeLessThanOrEqual(result.maxMs!);
      expect(done.summary).toMatch(/replies from 9\.9\.9\.9, .*% loss; round trip min/);
      const events = await fixture.db.deviceEvent.findMany({ where: { deviceId, code: "8 DIAGNOSTICS COMPLETE" } });
      expect(events).toHaveLength(1);
    });

    it(`runs a download throughput test on a ${root} device and stores its Mbit/s`, async () => {
      const { device, deviceId } = await started(root);
      const done = await run(device, deviceId, "download", { url: "http://speed.example.net/25MB.bin" });
      expect(done.state, done.error ?? "").toBe("complete");
      const result = done.result as unknown as ThroughputResult;
      expect(result).toMatchObject({ kind: "download", url: "http://speed.example.net/25MB.bin", bytes: 25_000_000 });
      expect(result.mbps).toBeGreaterThan(100);
      expect(result.mbps).toBeLessThan(400);
      expect(result.tcpConnectMs).toBeGreaterThan(0);
      expect(done.summary).toMatch(/Mbit\/s download: 25 MB in/);
    });
  }

  it("runs a trace route on a TR-181 device: the hops come from the RouteHops table", async () => {
    const { device, deviceId } = await started("TR-181");
    const done = await run(device, deviceId, "traceroute", { host: "dns.example.org" });
    expect(done.state, done.error ?? "").toBe("complete");
    const result = done.result as { reached: boolean; hops: { host: string; rttMs: number[] }[] };
    expect(result.reached).toBe(true);
    expect(result.hops.length).toBeGreaterThan(2);
    expect(result.hops.at(-1)?.host).toBe("dns.example.org");
    expect(result.hops[0]?.rttMs).toHaveLength(3);
  });

  it("records a failed test in words: a host that does not resolve", async () => {
    const { device, deviceId } = await started("TR-098");
    const done = await run(device, deviceId, "ping", { host: "nowhere.invalid" });
    expect(done).toMatchObject({ state: "failed", error: "cannot resolve host name" });
  });
});
