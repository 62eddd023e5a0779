import { createTask } from "@beacon/domain";
import type { SimulatedDevice } from "@beacon/sim";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type IngressFixture, ingressFixture, type RunningIngress } from "./helpers/ingress.ts";
import { BOOTSTRAP, deviceIdOf, IGD, simulatedOnu } from "./helpers/sim-device.ts";

const actor = { label: "test" };
const SSID = `${IGD}.LANDevice.1.WLANConfiguration.1.SSID`;
const CHANNEL = `${IGD}.LANDevice.1.WLANConfiguration.1.Channel`;
const MS = `${IGD}.ManagementServer`;

describe("CWMP sessions with the simulated device", () => {
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

  function onu(options: Parameters<typeof simulatedOnu>[1] = {}): SimulatedDevice {
    const device = simulatedOnu(ingress.url, options);
    devices.push(device);
    return device;
  }

  async function registered(): Promise<{ device: SimulatedDevice; deviceId: string }> {
    const device = onu();
    expect((await device.inform()).outcome).toBe("completed");
    return { device, deviceId: await deviceIdOf(fixture.db, device) };
  }

  const taskOf = (id: string) => fixture.db.task.findUniqueOrThrow({ where: { id } });

  it("gives a device admitted with the bootstrap credential its own, which it then uses; the bootstrap one no longer admits it", async () => {
    const device = onu();
    const first = await device.inform();
    expect(first.outcome).toBe("completed");
    expect(first.events.map((e) => e.eventCode)).toEqual(["0 BOOTSTRAP", "1 BOOT"]);
    // Its credentials, then the PeriodicInformInterval its Inform lacks, read once.
    expect(first.rpcs).toEqual(["SetParameterValues", "GetParameterValues"]);

    const username = device.get(`${MS}.Username`)!;
    const password = device.get(`${MS}.Password`)!;
    expect(username).not.toBe(BOOTSTRAP.username);
    expect(username).toContain(device.serialNumber);
    expect(password).not.toBe(BOOTSTRAP.password);
    expect(password.length).toBeGreaterThanOrEqual(20);
    const row = await fixture.db.device.findFirstOrThrow({ where: { serialNumber: device.serialNumber } });
    expect(row.cwmpUsername).toBe(username);
    expect({ username: row.connReqUsername, password: row.connReqPassword }).toEqual(
      device.connectionRequestCredentials(),
    );
    const stored = await fixture.db.deviceParameter.findMany({ where: { deviceId: row.id } });
    expect(JSON.stringify(stored)).not.toContain(password);

    // Its next session authenticates with the rotated credential and is not asked to change it again.
    const second = await device.inform();
    expect(second.outcome, second.error).toBe("completed");
    expect(second.httpStatuses.slice(0, 2)).toEqual([401, 200]);
    expect(second.rpcs).toEqual([]);

    // Someone else presenting the bootstrap credential for this device is refused, even with 0 BOOTSTRAP.
    const impostor = onu({ serialNumber: device.serialNumber });
    const refused = await impostor.inform();
    expect(refused.outcome).toBe("failed");
    expect(refused.httpStatuses).toEqual([401, 403]);
    expect(await fixture.db.cwmpSession.count({ where: { deviceId: row.id } })).toBe(2);
  });

  it("refuses the device's own username with a wrong password", async () => {
    const { device } = await registered();
    const thief = onu({
      serialNumber: device.serialNumber,
      bootstrapped: true,
      username: device.get(`${MS}.Username`),
      password: "not-the-password",
    });
    const refused = await thief.inform();
    expect(refused.outcome).toBe("failed");
    expect(refused.informAccepted).toBe(false);
    expect(refused.httpStatuses.at(-1)).toBe(401);
  });

  it("runs the tasks queued since the last session at the device's next periodic Inform", async () => {
    const { device, deviceId } = await registered();
    // 300 s is 0.3 s at the simulator's time scale; the device reschedules its informs when the ACS sets it.
    const interval = await createTask(
      fixture.db,
      {
        deviceId,
        kind: "setParameterValues",
        args: { values: [{ name: `${MS}.PeriodicInformInterval`, value: "300" }] },
      },
      actor,
    );
    expect((await device.inform()).rpcs).toEqual(["SetParameterValues"]);
    expect((await taskOf(interval.id)).state).toBe("done");

    const read = await createTask(fixture.db, { deviceId, kind: "getParameterValues", args: { names: [SSID] } }, actor);
    const write = await createTask(
      fixture.db,
      { deviceId, kind: "setParameterValues", args: { values: [{ name: CHANNEL, value: "11" }] } },
      actor,
    );
    const periodic = device.waitForSession((t) => t.events.some((e) => e.eventCode === "2 PERIODIC"), 5_000);
    device.start({ boot: false });
    const session = await periodic;
    device.stop();
    expect(session.outcome).toBe("completed");
    expect(session.rpcs).toEqual(["GetParameterValues", "SetParameterValues"]);
    expect((await taskOf(read.id)).state).toBe("done");
    expect((await taskOf(write.id)).state).toBe("done");
    expect(device.get(CHANNEL)).toBe("11");
    expect(await fixture.db.deviceEvent.count({ where: { deviceId, code: "2 PERIODIC" } })).toBeGreaterThanOrEqual(1);
  });

  it("records a fault on its task and still runs the tasks queued after it in the same session", async () => {
    const { device, deviceId } = await registered();
    device.injectFault("SetParameterValues", 9007);
    const before = await createTask(
      fixture.db,
      { deviceId, kind: "getParameterValues", args: { names: [SSID] } },
      actor,
    );
    const faulty = await createTask(
      fixture.db,
      { deviceId, kind: "setParameterValues", args: { values: [{ name: SSID, value: "Never" }] } },
      actor,
    );
    const after = await createTask(
      fixture.db,
      { deviceId, kind: "setParameterValues", args: { values: [{ name: CHANNEL, value: "1" }] } },
      actor,
    );
    const session = await device.inform();
    expect(session.outcome).toBe("completed");
    expect(session.rpcs).toEqual(["GetParameterValues", "SetParameterValues", "SetParameterValues"]);
    expect(session.faults.map((f) => f.faultCode)).toEqual([9007]);
    expect((await taskOf(before.id)).state).toBe("done");
    expect(await taskOf(faulty.id)).toMatchObject({ state: "fault", faultCode: 9007, attempts: 1 });
    expect((await taskOf(after.id)).state).toBe("done");
    expect(device.get(SSID)).toBe("BeaconSim-2G");
    expect(device.get(CHANNEL)).toBe("1");
  });

  it("names each parameter the device refused in the task's fault", async () => {
    const { device, deviceId } = await registered();
    const software = `${IGD}.DeviceInfo.SoftwareVersion`;
    const task = await createTask(
      fixture.db,
      {
        deviceId,
        kind: "setParameterValues",
        args: {
          values: [
            { name: software, value: "hacked" },
            { name: CHANNEL, value: "not-a-number" },
          ],
        },
      },
      actor,
    );
    await device.inform();
    const faulted = await taskOf(task.id);
    expect(faulted).toMatchObject({ state: "fault", faultCode: 9003 });
    expect(faulted.faultString).toContain(`${software}: Attempt to set a non-writable parameter (9008)`);
    expect(faulted.faultString).toContain(`${CHANNEL}: Invalid parameter value for xsd:unsignedInt (9007)`);
    expect(device.get(CHANNEL)).toBe("6");
  });

  it("puts a task the device was too busy for (9002) back in the queue for later and goes on with the next", async () => {
    const { device, deviceId } = await registered();
    device.injectFault("SetParameterValues", 9002);
    const busy = await createTask(
      fixture.db,
      { deviceId, kind: "setParameterValues", args: { values: [{ name: SSID, value: "Later" }] } },
      actor,
    );
    const next = await createTask(fixture.db, { deviceId, kind: "getRPCMethods" }, actor);
    const startedAt = Date.now();
    const session = await device.inform();
    expect(session.rpcs).toEqual(["SetParameterValues", "GetRPCMethods"]);
    const retried = await taskOf(busy.id);
    expect(retried).toMatchObject({ state: "pending", faultCode: 9002, attempts: 1 });
    expect(retried.notBefore.getTime()).toBeGreaterThan(startedAt + 30_000);
    expect((await taskOf(next.id)).state).toBe("done");
    // Not due yet: the next session leaves it alone.
    expect((await device.inform()).rpcs).toEqual([]);
  });
});
