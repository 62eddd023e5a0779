import http from "node:http";
import type { AddressInfo } from "node:net";
import { connectionRequestTargets, createTask, wakeDevice } from "@beacon/domain";
import { type ConnectionRequestListener, type SimulatedDevice, startConnectionRequestListener } from "@beacon/sim";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type IngressFixture, ingressFixture, type RunningIngress } from "./helpers/ingress.ts";
import { BOOTSTRAP, deviceIdOf, IGD, simulatedOnu } from "./helpers/sim-device.ts";

const actor = { label: "test" };
/** The simulated devices listen on 127.0.0.1, which connection requests may not reach by default. */
const LOOPBACK = { targets: connectionRequestTargets({ allow: ["loopback"] }) };
const SSID = `${IGD}.LANDevice.1.WLANConfiguration.1.SSID`;
const woken = (t: { events: readonly { eventCode: string }[] }) =>
  t.events.some((e) => e.eventCode === "6 CONNECTION REQUEST");

/** A local address nothing listens on. */
async function closedPortUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}/cr`;
}

describe("connection requests to the simulated device (TR-069 3.2.2, Annex G)", () => {
  let fixture: IngressFixture;
  let ingress: RunningIngress;
  let listener: ConnectionRequestListener;
  const devices: SimulatedDevice[] = [];

  beforeAll(async () => {
    fixture = await ingressFixture();
    ingress = await fixture.start({ bootstrapUsername: BOOTSTRAP.username, bootstrapPassword: BOOTSTRAP.password });
    listener = await startConnectionRequestListener({ digestAlgorithms: ["MD5", "SHA-256"] });
  });
  afterEach(async () => {
    for (const device of devices) listener.unregister(device);
    await Promise.all(devices.splice(0).map((d) => d.close()));
  });
  afterAll(async () => {
    await listener.close();
    await fixture.close();
  });

  /** A bootstrapped device listening for connection requests, with a task waiting for it. */
  async function waitingDevice(): Promise<{ device: SimulatedDevice; deviceId: string; taskId: string }> {
    const device = simulatedOnu(ingress.url);
    devices.push(device);
    listener.register(device);
    expect((await device.inform()).outcome).toBe("completed");
    const deviceId = await deviceIdOf(fixture.db, device);
    const task = await createTask(
      fixture.db,
      { deviceId, kind: "setParameterValues", args: { values: [{ name: SSID, value: "Woken" }] } },
      actor,
    );
    return { device, deviceId, taskId: task.id };
  }

  it("registers the ConnectionRequestURL and UDPConnectionRequestAddress the device reports in its Inform", async () => {
    const { device, deviceId } = await waitingDevice();
    const row = await fixture.db.device.findUniqueOrThrow({ where: { id: deviceId } });
    expect(row.connectionRequestUrl).toBe(listener.urlFor(device.serialNumber));
    expect(row.udpConnectionRequestAddress).toBe(listener.udpAddress);
    // Beacon set the credentials it will present, and the device took them.
    expect({ username: row.connReqUsername, password: row.connReqPassword }).toEqual(
      device.connectionRequestCredentials(),
    );
  });

  it("wakes the device over HTTP Digest: it opens a session with 6 CONNECTION REQUEST and the task completes", async () => {
    const { device, deviceId, taskId } = await waitingDevice();
    const accepted = listener.stats.httpAccepted;
    const session = device.waitForSession(woken, 5_000);
    const result = await wakeDevice(fixture.db, deviceId, { taskId, settings: LOOPBACK });
    expect(result.outcome).toBe("woken");
    const transcript = await session;
    expect(transcript.outcome).toBe("completed");
    expect(transcript.rpcs).toEqual(["SetParameterValues"]);
    expect(listener.stats.httpAccepted).toBe(accepted + 1);
    expect(await fixture.db.task.findUniqueOrThrow({ where: { id: taskId } })).toMatchObject({
      state: "done",
      wakeOutcome: "woken",
    });
    expect(device.get(SSID)).toBe("Woken");
    expect(await fixture.db.deviceEvent.count({ where: { deviceId, code: "6 CONNECTION REQUEST" } })).toBe(1);
  });

  it("records auth-rejected when the device refuses Beacon's connection-request password", async () => {
    const { device, deviceId, taskId } = await waitingDevice();
    await fixture.db.device.update({ where: { id: deviceId }, data: { connReqPassword: "not-what-the-device-has" } });
    const rejected = listener.stats.httpRejected;
    const result = await wakeDevice(fixture.db, deviceId, { taskId, settings: LOOPBACK });
    expect(result.outcome).toBe("auth-rejected");
    expect(listener.stats.httpRejected).toBe(rejected + 1);
    expect(device.queuedEvents.map((e) => e.eventCode)).not.toContain("6 CONNECTION REQUEST");
    expect(await fixture.db.task.findUniqueOrThrow({ where: { id: taskId } })).toMatchObject({
      state: "pending",
      wakeOutcome: "auth-rejected",
    });
  });

  it("records unreachable when nothing answers at the ConnectionRequestURL and there is no UDP address", async () => {
    const { deviceId, taskId } = await waitingDevice();
    await fixture.db.device.update({
      where: { id: deviceId },
      data: { connectionRequestUrl: await closedPortUrl(), udpConnectionRequestAddress: null },
    });
    const result = await wakeDevice(fixture.db, deviceId, { taskId, settings: LOOPBACK });
    expect(result.outcome).toBe("unreachable");
    expect(await fixture.db.task.findUniqueOrThrow({ where: { id: taskId } })).toMatchObject({
      state: "pending",
      wakeOutcome: "unreachable",
    });
  });

  it("falls back to a signed UDP connection request when HTTP cannot reach the device, which accepts it and connects", async () => {
    const { device, deviceId, taskId } = await waitingDevice();
    // Behind NAT: the HTTP URL the device reported cannot be reached from Beacon.
    await fixture.db.device.update({ where: { id: deviceId }, data: { connectionRequestUrl: await closedPortUrl() } });
    const { udpAccepted, udpIgnored } = listener.stats;
    const session = device.waitForSession(woken, 5_000);
    const result = await wakeDevice(fixture.db, deviceId, { taskId, settings: LOOPBACK });
    expect(result.outcome).toBe("udp-sent");
    const transcript = await session;
    expect(transcript.outcome).toBe("completed");
    expect(transcript.rpcs).toEqual(["SetParameterValues"]);
    // One message accepted (signature checked with the password Beacon set); its repeats are duplicates.
    expect(listener.stats.udpAccepted).toBe(udpAccepted + 1);
    expect(listener.stats.udpIgnored).toBe(udpIgnored + 2);
    expect(await fixture.db.task.findUniqueOrThrow({ where: { id: taskId } })).toMatchObject({
      state: "done",
      wakeOutcome: "udp-sent",
    });
    expect(device.get(SSID)).toBe("Woken");
  });

  it("ignores a UDP connection request signed with the wrong password", async () => {
    const { device, deviceId, taskId } = await waitingDevice();
    await fixture.db.device.update({
      where: { id: deviceId },
      data: { connectionRequestUrl: await closedPortUrl(), connReqPassword: "not-what-the-device-has" },
    });
    const { udpAccepted } = listener.stats;
    expect((await wakeDevice(fixture.db, deviceId, { taskId, settings: LOOPBACK })).outcome).toBe("udp-sent");
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(listener.stats.udpAccepted).toBe(udpAccepted);
    expect(device.queuedEvents.map((e) => e.eventCode)).not.toContain("6 CONNECTION REQUEST");
    expect((await fixture.db.task.findUniqueOrThrow({ where: { id: taskId } })).state).toBe("pending");
  });
});
