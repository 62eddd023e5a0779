import {
  createTask,
  ensurePlatformTenant,
  runMonitoringScheduler,
  type SchedulerHandle,
  saveMonitoringProfile,
} from "@beacon/domain";
import type { SimulatedDevice } from "@beacon/sim";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type IngressFixture, ingressFixture, type RunningIngress } from "./helpers/ingress.ts";
import { BOOTSTRAP, deviceIdOf, eventually, IGD, simulatedOnu } from "./helpers/sim-device.ts";

const actor = { label: "noc@isp.example" };

/** Two data models, each reporting the received level in its own unit (monitoring-mappings tr181 and vendor-huawei). */
const DEVICES = [
  {
    what: "a TR-181 gateway (Optical.Interface.1.OpticalSignalLevel, 0.001 dBm)",
    options: { model: "beacon-router-tr181" },
    optical: "Device.Optical.",
  },
  {
    what: "a Huawei TR-098 ONT (X_GponInterafceConfig.RXPower, whole dBm)",
    options: { model: "beacon-onu-tr098", manufacturer: "Huawei Technologies Co., Ltd." },
    optical: `${IGD}.WANDevice.1.X_GponInterafceConfig.`,
  },
] as const;

/**
 * Optical alarms end to end: a collection profile asks for the received level, the monitoring scheduler queues
 * the GetParameterValues it needs, the simulated device answers over real HTTP with a level that degrades and
 * recovers, and the readings raise, step down and clear the device's optical.rxLow alarm.
 */
describe("optical levels of simulated ONTs raise and clear alarms, over real HTTP", () => {
  let fixture: IngressFixture;
  let ingress: RunningIngress;
  let monitoring: SchedulerHandle;
  // Beacon's clock (ingress and scheduler): moved forward so each reading is older than the profile's interval.
  let offsetMs = 0;
  const clock = () => new Date(Date.now() + offsetMs);
  const devices: SimulatedDevice[] = [];
  const errors: unknown[] = [];

  beforeAll(async () => {
    fixture = await ingressFixture();
    ingress = await fixture.start(
      { bootstrapUsername: BOOTSTRAP.username, bootstrapPassword: BOOTSTRAP.password },
      { clock },
    );
    const platform = await ensurePlatformTenant(fixture.db);
    await saveMonitoringProfile(
      fixture.db,
      { tenantId: platform.id, name: "Optics", metrics: ["optical.rxPower"], intervalSeconds: 60 },
      actor,
    );
    // Rounds run when the test ticks it.
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

  const activeAlarm = (deviceId: string) =>
    fixture.db.alarm.findFirst({ where: { deviceId, type: "optical.rxLow", state: "active" } });

  for (const { what, options, optical } of DEVICES) {
    it(`${what}: a level below -27 dBm raises a critical alarm, which steps down and clears as the level recovers`, async () => {
      let level = -19.5;
      const device = simulatedOnu(ingress.url, { ...options, opticalRxPower: () => level });
      devices.push(device);
      expect((await device.inform()).outcome).toBe("completed");
      const deviceId = await deviceIdOf(fixture.db, device);
      // Beacon learns the optical parameters the device has once (a refresh), as the device page does.
      await createTask(fixture.db, { deviceId, kind: "refresh", args: { path: optical } }, actor);
      expect((await device.inform()).rpcs).toEqual(["GetParameterNames", "GetParameterValues"]);

      /** One collection round: the reading is stale, the scheduler queues a read, the device's next Inform answers it. */
      const collect = async (dBm: number) => {
        level = dBm;
        offsetMs += 61_000;
        await monitoring.tick();
        const task = await fixture.db.task.findFirstOrThrow({
          where: { deviceId, kind: "getParameterValues", createdBy: "monitoring", state: "pending" },
        });
        const session = await device.inform();
        expect(session.rpcs).toEqual(["GetParameterValues"]);
        expect((await fixture.db.task.findUniqueOrThrow({ where: { id: task.id } })).state).toBe("done");
        await eventually(`a reading of ${dBm} dBm`, async () => {
          const reading = await fixture.db.deviceMetric.findUnique({
            where: { deviceId_metric: { deviceId, metric: "optical.rxPower" } },
          });
          return reading !== null && Math.abs(reading.value! - dBm) < 0.51 && reading.at >= task.createdAt;
        });
      };

      await eventually("the first reading", () =>
        fixture.db.deviceMetric.findUnique({ where: { deviceId_metric: { deviceId, metric: "optical.rxPower" } } }),
      );
      expect(await activeAlarm(deviceId)).toBeNull();

      await collect(-29.5);
      const raised = await eventually("the alarm to be raised", () => activeAlarm(deviceId));
      expect(raised).toMatchObject({ severity: "critical" });
      expect(raised.message).toMatch(/^low optical level: -29(\.5)? dBm, below -27 dBm$/);

      // Better, but within the warning band: the alarm steps down instead of clearing.
      await collect(-25.6);
      await eventually(
        "the alarm to step down to warning",
        async () => (await activeAlarm(deviceId))?.severity === "warning",
      );

      await collect(-19.2);
      await eventually("the alarm to clear", async () => (await activeAlarm(deviceId)) === null);
      const alarm = await fixture.db.alarm.findUniqueOrThrow({ where: { id: raised.id } });
      expect(alarm).toMatchObject({ state: "cleared" });
      expect(alarm.clearedAt).not.toBeNull();
      const events = await fixture.db.domainEvent.findMany({
        where: { subjectId: raised.id },
        orderBy: { id: "asc" },
      });
      expect(events.map((e) => e.type)).toEqual(["alarm.raised", "alarm.changed", "alarm.cleared"]);
    });
  }
});
