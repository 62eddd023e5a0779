import { createTask, startDiagnostic } from "@beacon/domain";
import { connectMqttAgent, SimulatedUspAgent } from "@beacon/sim";
import { encodeMsg, encodeRecord, requestMsg } from "@beacon/usp";
import mqtt, { type MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Broker,
  CONTROLLER_ID,
  eventually,
  MOSQUITTO,
  mosquittoAvailable,
  startMosquitto,
  type UspFixture,
  uspFixture,
} from "./helpers/usp.ts";

const actor = { label: "test@beacon.example" };
const TOPIC = "usp/controller/beacon-test";

if (!mosquittoAvailable()) {
  console.warn(
    `[usp] MQTT tests SKIPPED: no Mosquitto at ${MOSQUITTO} (apt-get install mosquitto, or set MOSQUITTO_BIN)`,
  );
}

describe.skipIf(!mosquittoAvailable())("USP agents over MQTT through a real Mosquitto", () => {
  let broker: Broker;
  let fixture: UspFixture;
  const clients: MqttClient[] = [];

  beforeAll(async () => {
    broker = await startMosquitto();
    fixture = await uspFixture();
    await fixture.start({ mqtt: { url: broker.url, topic: TOPIC } });
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.endAsync()));
    await fixture?.close();
    await broker?.stop();
  });

  for (const version of [5, 4] as const) {
    const name = version === 5 ? "MQTT 5" : "MQTT 3.1.1";
    const mtp = version === 5 ? "mqtt5" : "mqtt3";
    it(`registers a booted ${name} agent, runs a Set and an IPPing() through the broker`, async () => {
      const agent = new SimulatedUspAgent({ endpointId: `os::00D09E-MQTT${version}`, controllerId: CONTROLLER_ID });
      clients.push(
        await connectMqttAgent(agent, { url: broker.url, protocolVersion: version, controllerTopic: TOPIC }),
      );
      agent.sendBoot();
      const device = await eventually(
        "the device with its DeviceInfo",
        () => fixture.db.device.findFirst({ where: { uspEndpointId: agent.endpointId, modelName: { not: null } } }),
        30_000,
      );
      expect(device).toMatchObject({
        protocol: "usp",
        uspMtp: mtp,
        uspReplyTopic: `usp/agent/${agent.endpointId}`,
        serialNumber: `MQTT${version}`,
      });
      await eventually(
        "three subscriptions",
        () => agent.store.objects("Device.LocalAgent.Subscription.*.").length === 3,
      );

      const set = await createTask(
        fixture.db,
        {
          deviceId: device.id,
          kind: "setParameterValues",
          args: { values: [{ name: "Device.WiFi.SSID.1.SSID", value: `Over-${name}` }] },
        },
        actor,
      );
      await eventually(
        "the Set done",
        async () => (await fixture.db.task.findUniqueOrThrow({ where: { id: set.id } })).state === "done",
      );
      expect(agent.store.read("Device.WiFi.SSID.1.SSID")).toBe(`Over-${name}`);

      const ping = await startDiagnostic(fixture.db, {
        deviceId: device.id,
        kind: "ping",
        params: { host: "192.0.2.7" },
        actor,
      });
      const done = await eventually("the ping result", async () => {
        const d = await fixture.db.diagnostic.findUniqueOrThrow({ where: { id: ping.id } });
        return d.state !== "requested" ? d : null;
      });
      expect(done.state).toBe("complete");
    });
  }

  it("drops a PUBLISH without reply-to, one of another content type and an unreadable Record, and keeps serving", async () => {
    const rogue = await mqtt.connectAsync(broker.url, { protocolVersion: 5, reconnectPeriod: 0 });
    clients.push(rogue);
    const boot = encodeRecord({
      version: "1.3",
      toId: CONTROLLER_ID,
      fromId: "os::00D09E-ROGUE",
      kind: "noSessionContext",
      payload: encodeMsg(
        requestMsg("r-1", {
          case: "notify",
          value: { sendResp: true, notification: { case: "event", value: { objPath: "Device.", eventName: "Boot!" } } },
        }),
      ),
    });
    await rogue.publishAsync(TOPIC, Buffer.from(boot), { qos: 1 });
    await rogue.publishAsync(TOPIC, Buffer.from(boot), {
      qos: 1,
      properties: { responseTopic: "usp/agent/rogue", contentType: "application/json" },
    });
    await rogue.publishAsync(TOPIC, Buffer.from([0x0a, 0xff, 0xff]), {
      qos: 1,
      properties: { responseTopic: "usp/agent/rogue" },
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await fixture.db.device.count({ where: { uspEndpointId: "os::00D09E-ROGUE" } })).toBe(0);

    // Still serving: the older content type is accepted.
    await rogue.publishAsync(TOPIC, Buffer.from(boot), {
      qos: 1,
      properties: { responseTopic: "usp/agent/rogue", contentType: "application/vnd.bbf.usp.msg" },
    });
    await eventually("the agent registered", () =>
      fixture.db.device.findFirst({ where: { uspEndpointId: "os::00D09E-ROGUE" } }),
    );
  });
});
