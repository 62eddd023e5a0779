import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSimulatedDevice, type SimulatedDevice, type SimulatedDeviceOptions } from "../src/index.ts";
import { answersOf, startTinyAcs, type TinyAcs } from "./support/tiny-acs.ts";

let acs: TinyAcs;
const devices: SimulatedDevice[] = [];

beforeEach(async () => {
  acs = await startTinyAcs();
});

afterEach(async () => {
  await Promise.all(devices.splice(0).map((d) => d.close()));
  await acs.close();
});

function device(options: Partial<SimulatedDeviceOptions> = {}): SimulatedDevice {
  const d = createSimulatedDevice({
    model: "beacon-onu-tr098",
    serialNumber: `T${devices.length}${Math.random().toString(16).slice(2, 8).toUpperCase()}`,
    acsUrl: acs.url,
    timing: { timeScale: 0.001 },
    ...options,
  });
  devices.push(d);
  return d;
}

const IGD = "InternetGatewayDevice";

describe("a session", () => {
  it("posts Inform, takes the InformResponse, posts empty and ends on 204, keeping the session cookie", async () => {
    const d = device({ serialNumber: "ONU0001", oui: "00beac", externalIpAddress: "198.51.100.77" });
    const t = await d.inform();
    expect(t.outcome).toBe("completed");
    expect(t.httpStatuses).toEqual([200, 204]);
    expect(t.events.map((e) => e.eventCode)).toEqual(["0 BOOTSTRAP", "1 BOOT"]);

    const [session] = acs.sessionsOf("ONU0001");
    expect(session?.cookieMissing).toBe(false);
    expect(session?.received.map((m) => m.type)).toEqual(["Inform", "Empty"]);
    const inform = session?.inform;
    expect(inform?.deviceId).toEqual({
      manufacturer: "Beacon Sim",
      oui: "00BEAC",
      productClass: "SimONU-98",
      serialNumber: "ONU0001",
    });
    expect(inform?.maxEnvelopes).toBe(1);
    expect(inform?.retryCount).toBe(0);
    expect(inform?.currentTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const params = Object.fromEntries(inform?.parameterList.map((p) => [p.name, p.value]) ?? []);
    expect(params).toMatchObject({
      [`${IGD}.DeviceSummary`]: expect.stringContaining("InternetGatewayDevice:1.4"),
      [`${IGD}.DeviceInfo.SpecVersion`]: "1.0",
      [`${IGD}.DeviceInfo.HardwareVersion`]: "HW-A1",
      [`${IGD}.DeviceInfo.SoftwareVersion`]: "V1.0.0",
      [`${IGD}.DeviceInfo.ProvisioningCode`]: "",
      [`${IGD}.ManagementServer.ParameterKey`]: "",
      [`${IGD}.WANDevice.1.WANConnectionDevice.1.WANPPPConnection.1.ExternalIPAddress`]: "198.51.100.77",
    });
    expect(session?.namespace).toBe("urn:dslforum-org:cwmp-1-0");
    expect(session?.ids[0]).toBe("1");

    const second = await d.inform();
    expect(second.events.map((e) => e.eventCode)).toEqual(["2 PERIODIC"]);
  });

  it("speaks the namespace it is given and can leave out cwmp:ID", async () => {
    const d = device({ serialNumber: "ONU-NS", cwmpNamespace: "1.4", cwmpId: false, model: "beacon-router-tr181" });
    acs.queue("ONU-NS", { type: "GetParameterValues", parameterNames: ["Device.DeviceInfo.UpTime"] });
    const t = await d.inform(["1 BOOT"]);
    expect(t.outcome).toBe("completed");
    const [session] = acs.sessionsOf("ONU-NS");
    expect(session?.namespace).toBe("urn:dslforum-org:cwmp-1-4");
    expect(session?.ids).toEqual(["", "", ""]);
    expect(session?.inform?.parameterList.map((p) => p.name)).toContain("Device.RootDataModelVersion");
  });

  it("answers GetParameterValues with a partial path and echoes the ACS's cwmp:ID", async () => {
    const d = device({ serialNumber: "ONU-GPV" });
    acs.queue("ONU-GPV", { type: "GetParameterValues", parameterNames: [`${IGD}.WANDevice.1.X_GponInterafceConfig.`] });
    const t = await d.inform();
    expect(t.rpcs).toEqual(["GetParameterValues"]);
    const [session] = acs.sessionsOf("ONU-GPV");
    const [answer] = answersOf(session!, "GetParameterValuesResponse");
    // The level drifts around the model's -19 dBm like a real receiver's.
    const rx = answer?.parameterList.find((p) => p.name === `${IGD}.WANDevice.1.X_GponInterafceConfig.RXPower`);
    expect(rx?.type).toBe("xsd:int");
    expect(Math.abs(Number(rx?.value) + 19)).toBeLessThanOrEqual(3);
    expect(session?.ids.at(-1)).toBe("acs-1");
  });

  it("faults SetParameterValues with 9003 carrying 9007 and 9008 entries, then accepts a good one", async () => {
    const d = device({ serialNumber: "ONU-SPV" });
    acs.queue(
      "ONU-SPV",
      {
        type: "SetParameterValues",
        parameterKey: "bad",
        parameterList: [
          { name: `${IGD}.LANDevice.1.WLANConfiguration.1.Channel`, value: "abc", type: "xsd:unsignedInt" },
          { name: `${IGD}.DeviceInfo.SoftwareVersion`, value: "x", type: "xsd:string" },
        ],
      },
      {
        type: "SetParameterValues",
        parameterKey: "good",
        parameterList: [{ name: `${IGD}.LANDevice.1.WLANConfiguration.1.SSID`, value: "Rotated", type: "xsd:string" }],
      },
    );
    const t = await d.inform();
    expect(t.faults).toEqual([
      {
        type: "Fault",
        faultCode: 9003,
        setParameterValuesFault: [
          expect.objectContaining({ parameterName: `${IGD}.LANDevice.1.WLANConfiguration.1.Channel`, faultCode: 9007 }),
          expect.objectContaining({ parameterName: `${IGD}.DeviceInfo.SoftwareVersion`, faultCode: 9008 }),
        ],
      },
    ]);
    const [session] = acs.sessionsOf("ONU-SPV");
    const [fault] = answersOf(session!, "Fault");
    expect(fault?.faultString).toBe("Invalid arguments");
    expect(fault?.setParameterValuesFault?.map((f) => f.faultCode)).toEqual([9007, 9008]);
    expect(answersOf(session!, "SetParameterValuesResponse")).toEqual([
      { type: "SetParameterValuesResponse", status: 0 },
    ]);
    expect(d.get(`${IGD}.LANDevice.1.WLANConfiguration.1.SSID`)).toBe("Rotated");

    await d.inform();
    const next = acs.sessionsOf("ONU-SPV")[1]?.inform?.parameterList.find((p) => p.name.endsWith("ParameterKey"));
    expect(next?.value).toBe("good");
  });

  it("answers an injected fault once, and an RPC the codec does not know with 9000", async () => {
    const d = device({ serialNumber: "ONU-FLT" });
    d.injectFault("SetParameterValues", 9002);
    const spv = {
      type: "SetParameterValues",
      parameterKey: "",
      parameterList: [{ name: `${IGD}.Time.NTPServer1`, value: "ntp.example", type: "xsd:string" }],
    } as const;
    const unknownRpc =
      '<?xml version="1.0"?><soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/" ' +
      'xmlns:cwmp="urn:dslforum-org:cwmp-1-0"><soap-env:Header><cwmp:ID soap-env:mustUnderstand="1">x-1</cwmp:ID>' +
      "</soap-env:Header><soap-env:Body><cwmp:X_Frobnicate/></soap-env:Body></soap-env:Envelope>";
    acs.queue("ONU-FLT", spv, spv, unknownRpc);
    const t = await d.inform();
    expect(t.faults.map((f) => f.faultCode)).toEqual([9002, 9000]);
    const [session] = acs.sessionsOf("ONU-FLT");
    expect(session?.received.map((m) => m.type)).toEqual([
      "Inform",
      "Empty",
      "Fault",
      "SetParameterValuesResponse",
      "Fault",
    ]);
    expect(session?.ids.at(-1)).toBe("x-1");
  });

  it("lists its methods and reports parameter names with NextLevel", async () => {
    const d = device({ serialNumber: "ONU-GPN" });
    acs.queue(
      "ONU-GPN",
      { type: "GetRPCMethods" },
      { type: "GetParameterNames", parameterPath: `${IGD}.LANDevice.1.`, nextLevel: true },
    );
    await d.inform();
    const [session] = acs.sessionsOf("ONU-GPN");
    const [methods] = answersOf(session!, "GetRPCMethodsResponse");
    expect(methods?.methodList).toContain("ChangeDUState");
    const [names] = answersOf(session!, "GetParameterNamesResponse");
    expect(names?.parameterList.map((p) => p.name)).toEqual([
      `${IGD}.LANDevice.1.LANHostConfigManagement.`,
      `${IGD}.LANDevice.1.Hosts.`,
      `${IGD}.LANDevice.1.WLANConfigurationNumberOfEntries`,
      `${IGD}.LANDevice.1.WLANConfiguration.`,
    ]);
  });

  it("comes back from a Reboot with 1 BOOT and M Reboot carrying the CommandKey", async () => {
    const d = device({ serialNumber: "ONU-RBT", bootstrapped: true });
    acs.queue("ONU-RBT", { type: "Reboot", commandKey: "reboot-7" });
    const first = await d.inform();
    expect(first.events.map((e) => e.eventCode)).toEqual(["1 BOOT"]);
    expect(first.rpcs).toEqual(["Reboot"]);
    const after = await d.inform();
    expect(after.events).toEqual([
      { eventCode: "1 BOOT", commandKey: "" },
      { eventCode: "M Reboot", commandKey: "reboot-7" },
    ]);
  });

  it("bootstraps again after a FactoryReset, with the factory values back", async () => {
    const d = device({ serialNumber: "ONU-FR", bootstrapped: true });
    acs.queue("ONU-FR", {
      type: "SetParameterValues",
      parameterKey: "k",
      parameterList: [{ name: `${IGD}.Time.NTPServer1`, value: "ntp.changed", type: "xsd:string" }],
    });
    await d.inform();
    expect(d.get(`${IGD}.Time.NTPServer1`)).toBe("ntp.changed");
    acs.queue("ONU-FR", { type: "FactoryReset" });
    await d.inform();
    const after = await d.inform();
    expect(after.events.map((e) => e.eventCode)).toEqual(["0 BOOTSTRAP", "1 BOOT"]);
    expect(d.get(`${IGD}.Time.NTPServer1`)).toBe("pool.ntp.org");
    expect(d.get(`${IGD}.ManagementServer.URL`)).toBe(acs.url);
  });

  it("informs with 3 SCHEDULED and M ScheduleInform after ScheduleInform's delay", async () => {
    const d = device({ serialNumber: "ONU-SI", bootstrapped: true });
    acs.queue("ONU-SI", { type: "ScheduleInform", delaySeconds: 5, commandKey: "si-1" });
    await d.inform();
    expect(d.queuedEvents).toEqual([]);
    await new Promise((r) => setTimeout(r, 30));
    expect(d.queuedEvents).toEqual([
      { eventCode: "3 SCHEDULED", commandKey: "" },
      { eventCode: "M ScheduleInform", commandKey: "si-1" },
    ]);
  });

  it("reports a value changed on the device with 4 VALUE CHANGE when notification is on", async () => {
    const d = device({ serialNumber: "ONU-VC", bootstrapped: true });
    const ssid = `${IGD}.LANDevice.1.WLANConfiguration.1.SSID`;
    acs.queue("ONU-VC", {
      type: "SetParameterAttributes",
      parameterList: [
        { name: ssid, notificationChange: true, notification: 1, accessListChange: false, accessList: [] },
      ],
    });
    await d.inform();
    d.set(ssid, "ChangedByUser");
    const t = await d.inform();
    expect(t.events.map((e) => e.eventCode)).toEqual(["4 VALUE CHANGE"]);
    const inform = acs.sessionsOf("ONU-VC")[1]?.inform;
    expect(inform?.parameterList).toContainEqual({ name: ssid, value: "ChangedByUser", type: "xsd:string" });
  });

  it("when started, informs at boot and by itself after a Reboot, staying offline for the reboot", async () => {
    const d = device({ serialNumber: "ONU-AUTO", timing: { timeScale: 0.001, rebootMs: 50 } });
    acs.queue("ONU-AUTO", { type: "Reboot", commandKey: "auto" });
    const boot = d.waitForSession();
    d.start();
    expect((await boot).rpcs).toEqual(["Reboot"]);
    expect(d.isOnline).toBe(false);
    expect(d.connectionRequest()).toBe("offline");
    const back = await d.waitForSession();
    expect(back.events.map((e) => e.eventCode)).toEqual(["1 BOOT", "M Reboot"]);
    expect(Number(d.get(`${IGD}.DeviceInfo.UpTime`))).toBeLessThan(5);
  });

  it("keeps events and counts retries when the ACS is unreachable", async () => {
    const d = device({
      serialNumber: "ONU-DOWN",
      acsUrl: "http://127.0.0.1:9/cwmp",
      timing: { requestTimeoutMs: 2000 },
    });
    const t = await d.inform();
    expect(t.outcome).toBe("failed");
    expect(t.informAccepted).toBe(false);
    expect(d.queuedEvents.map((e) => e.eventCode)).toEqual(["0 BOOTSTRAP", "1 BOOT"]);
    const again = await d.inform();
    expect(again.retryCount).toBe(1);
  });

  it("drops the connection when told to, and answers slowly when told to", async () => {
    const d = device({ serialNumber: "ONU-DROP", behaviour: { dropAfterRequests: 1 } });
    acs.queue("ONU-DROP", { type: "GetRPCMethods" });
    const t = await d.inform();
    expect(t.outcome).toBe("dropped");
    expect(t.rpcs).toEqual(["GetRPCMethods"]);

    const slow = device({ serialNumber: "ONU-SLOW", behaviour: { responseDelayMs: 150 } });
    acs.queue("ONU-SLOW", { type: "GetRPCMethods" });
    const s = await slow.inform();
    expect(s.outcome).toBe("completed");
    expect(s.endedAt.getTime() - s.startedAt.getTime()).toBeGreaterThanOrEqual(140);
  });
});
