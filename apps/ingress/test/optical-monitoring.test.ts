import { ensurePlatformTenant, healthCheck, runMonitoringScheduler, type SchedulerHandle } from "@beacon/domain";
import type { SimulatedDevice } from "@beacon/sim";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type IngressFixture, ingressFixture, type RunningIngress } from "./helpers/ingress.ts";
import { BOOTSTRAP, deviceIdOf, eventually, simulatedOnu } from "./helpers/sim-device.ts";

/** GPON class B+ receive window, and what a transceiver's own readings look like. */
const plausible = {
  "optical.rxPower": [-27, -8],
  "optical.txPower": [0.5, 5],
  "optical.temperature": [20, 80],
} as const;

/**
 * Optical monitoring with nothing configured: no monitoring profile (Beacon's default applies), no manual refresh.
 * Simulated ONTs over real HTTP whose levels drift as real ones do; Beacon learns where each model keeps its
 * optical readings at the first Inform after enrolment, records them there, then reads them again at each Inform
 * and from the scheduler once they are older than the profile's interval.
 */
describe("optical readings of every mapped ONT model are collected at Informs and periodically", () => {
  let fixture: IngressFixture;
  let ingress: RunningIngress;
  let monitoring: SchedulerHandle;
  let offsetMs = 0;
  const clock = () => new Date(Date.now() + offsetMs);
  const devices: SimulatedDevice[] = [];
  const errors: unknown[] = [];

  beforeAll(async () => {
    fixture = await ingressFixture();
    ingress = await fixture.start(
      { bootstrapUsername: BOOTSTRAP.username, bootstrapPassword: BOOTSTRAP.password, collectMetrics: true },
      { clock },
    );
    await ensurePlatformTenant(fixture.db);
    monitoring = runMonitoringScheduler(fixture.db, {
      clock,
      intervalMs: 3_600_000,
      onError: (error) => errors.push(error),
    });
  });
  afterEach(async () => {
    await Promise.all(devices.splice(0).map((d) => d.close()));
    expect(errors).toEqual([]);
  });
  afterAll(async () => {
    await monitoring?.stop();
    await fixture?.close();
  });

  const latest = (deviceId: string) =>
    fixture.db.deviceMetric.findMany({ where: { deviceId } }).then((rows) => new Map(rows.map((r) => [r.metric, r])));
  const samples = (deviceId: string, metric: string) =>
    fixture.db.metricSample.findMany({ where: { deviceId, metric }, orderBy: { at: "asc" } });

  for (const model of ["beacon-onu-tr098", "beacon-ont-eg8145v5"]) {
    it(`${model}: optical RX/TX, temperature, WiFi clients and uptime at each Inform, then periodically`, async () => {
      const device = simulatedOnu(ingress.url, { model });
      devices.push(device);
      expect((await device.inform()).outcome).toBe("completed");
      const deviceId = await deviceIdOf(fixture.db, device);

      // The next Inform: Beacon has never seen the device's optical object, so it reads the tree once.
      offsetMs += 1_000;
      const first = await device.inform();
      expect(first.rpcs).toEqual(["GetParameterNames", "GetParameterValues"]);
      const metrics = await eventually("the first readings", async () => {
        const m = await latest(deviceId);
        return m.has("optical.rxPower") && m.has("device.uptime") ? m : null;
      });
      for (const [metric, [low, high]] of Object.entries(plausible)) {
        const value = metrics.get(metric)?.value;
        expect(value, metric).toBeTypeOf("number");
        expect(value!, metric).toBeGreaterThanOrEqual(low);
        expect(value!, metric).toBeLessThanOrEqual(high);
      }
      expect(metrics.get("wifi.clients")?.value).toBe(1);
      expect(metrics.get("device.uptime")?.value).toBeGreaterThanOrEqual(0);
      const task = await fixture.db.task.findFirstOrThrow({ where: { deviceId, createdBy: "monitoring" } });
      expect(task).toMatchObject({ kind: "refresh", state: "done" });

      // Within the interval, an Inform asks for nothing more.
      offsetMs += 60_000;
      expect((await device.inform()).rpcs).toEqual([]);

      // Past it, the Inform itself brings a fresh read of just the mapped paths.
      offsetMs += 901_000;
      expect((await device.inform()).rpcs).toEqual(["GetParameterValues"]);
      await eventually("a second optical sample", async () => (await samples(deviceId, "optical.rxPower")).length >= 2);

      // And the scheduler queues one for a device whose Informs are rarer than the interval.
      offsetMs += 901_000;
      await monitoring.tick();
      const queued = await fixture.db.task.findFirstOrThrow({
        where: { deviceId, createdBy: "monitoring", state: "pending" },
      });
      expect(queued.kind).toBe("getParameterValues");
      const names = (queued.args as { names: string[] }).names;
      expect(names.some((n) => n.endsWith("X_GponInterafceConfig.RXPower") || n.endsWith("RxPowerDbm"))).toBe(true);
      expect(names).toContain("InternetGatewayDevice.DeviceInfo.UpTime");
      expect((await device.inform()).rpcs).toEqual(["GetParameterValues"]);
      const rx = await eventually("a third optical sample", async () => {
        const s = await samples(deviceId, "optical.rxPower");
        return s.length >= 3 ? s : null;
      });
      for (const s of rx) expect(s.value!).toBeGreaterThan(-27);

      const report = await healthCheck(fixture.db, deviceId, { now: clock() });
      expect(report.checks.find((c) => c.check === "optical")).toMatchObject({ status: "ok" });
    });
  }

  it("a gateway without an optical interface records no optical reading, and the health check says so", async () => {
    const device = simulatedOnu(ingress.url, { model: "wifi-098-single-band" });
    devices.push(device);
    await device.inform();
    const deviceId = await deviceIdOf(fixture.db, device);
    offsetMs += 1_000;
    expect((await device.inform()).rpcs).toEqual(["GetParameterNames", "GetParameterValues"]);
    await eventually("the WiFi reading", async () => (await latest(deviceId)).has("wifi.clients"));
    expect((await latest(deviceId)).has("optical.rxPower")).toBe(false);
    // The tree was read once: later Informs do not read it again, however stale optical readings look.
    offsetMs += 901_000;
    expect((await device.inform()).rpcs).toEqual(["GetParameterValues"]);
    const report = await healthCheck(fixture.db, deviceId, { now: clock() });
    expect(report.checks.find((c) => c.check === "optical")).toMatchObject({
      status: "notApplicable",
    });
  });
});
