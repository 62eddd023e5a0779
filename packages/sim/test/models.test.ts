import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSimulatedDevice, listModels, loadModel, readGenieacsDump, sharedDir } from "../src/index.ts";
import { parseCsv } from "../src/model/csv.ts";
import { answersOf, startTinyAcs, type TinyAcs } from "./support/tiny-acs.ts";

describe("our fixture models", () => {
  it.each([
    ["beacon-onu-tr098", "InternetGatewayDevice"],
    ["beacon-router-tr181", "Device"],
  ] as const)("%s loads with root %s, typed parameters and the standard inform parameters", (name, root) => {
    const model = loadModel(name);
    expect(model.root).toBe(root);
    const params = [...walk(model, "")].filter((n) => !n.endsWith("."));
    expect(params.length).toBeGreaterThanOrEqual(40);
    // Compact, diagnostics objects included.
    expect(params.length).toBeLessThanOrEqual(200);
    for (const name of [
      "URL",
      "Username",
      "Password",
      "ConnectionRequestURL",
      "PeriodicInformInterval",
      "UDPConnectionRequestAddress",
    ]) {
      expect(model.node(`${root}.ManagementServer.${name}`)).toBeDefined();
    }
    expect(model.node(`${root}.ManagementServer.PeriodicInformInterval`)).toMatchObject({
      type: "xsd:unsignedInt",
      writable: true,
    });
    expect(model.informParameters).toContain(`${root}.DeviceInfo.SoftwareVersion`);
    expect(model.informParameters).toContain(`${root}.ManagementServer.ConnectionRequestURL`);
    expect(model.informParameters.some((n) => /ExternalIPAddress|IPv4Address\.1\.IPAddress/.test(n))).toBe(true);
  });

  it("lists fixtures as always available", () => {
    const fixtures = listModels().filter((m) => m.source === "fixture");
    expect(fixtures.map((m) => [m.name, m.root, m.available])).toEqual([
      ["beacon-onu-tr098", "InternetGatewayDevice", true],
      ["beacon-ont-eg8145v5", "InternetGatewayDevice", true],
      ["beacon-router-tr181", "Device", true],
      ["wifi-098-5g-first", "InternetGatewayDevice", true],
      ["wifi-098-channel-only", "InternetGatewayDevice", true],
      ["wifi-098-pppoe-second", "InternetGatewayDevice", true],
      ["wifi-098-single-band", "InternetGatewayDevice", true],
      ["wifi-181-triband", "Device", true],
      ["wifi-181-guests", "Device", true],
      ["wifi-181-stacked", "Device", true],
      ["wifi-181-locked-guest", "Device", true],
    ]);
  });

  it("refuses an unknown model with the known names", () => {
    expect(() => loadModel("nope")).toThrow(/beacon-onu-tr098/);
  });
});

describe("the GenieACS export reader", () => {
  it("reads quoted commas, doubled quotes and multi-line values", () => {
    expect(parseCsv('a,"b, c","say ""hi""","line1\nline2"\r\nx,,y,\n')).toEqual([
      ["a", "b, c", 'say "hi"', "line1\nline2"],
      ["x", "", "y", ""],
    ]);
  });

  it("takes the identity from DeviceID.*, drops Events.* and creates missing parent objects", () => {
    const model = readGenieacsDump(
      [
        "Parameter,Object,Writable,Value,Value type",
        "DeviceID.Manufacturer,false,false,Acme,xsd:string",
        "DeviceID.OUI,false,false,a1b2c3,xsd:string",
        "DeviceID.ProductClass,false,false,Box,xsd:string",
        "DeviceID.SerialNumber,false,false,S1,xsd:string",
        "Events.1_BOOT,false,false,2023-01-01T00:00:00Z,xsd:dateTime",
        "Device.DeviceInfo.UpTime,false,false,12,xsd:unsignedint",
        "Device.NAT.PortMapping,true,true,,",
      ].join("\n"),
      { name: "acme" },
    );
    expect(model.identity).toEqual({ manufacturer: "Acme", oui: "A1B2C3", productClass: "Box", serialNumber: "S1" });
    expect(model.root).toBe("Device");
    expect(model.node("Device.DeviceInfo.")).toMatchObject({ object: true, writable: false });
    expect(model.node("Device.DeviceInfo.UpTime")).toMatchObject({ type: "xsd:unsignedInt", value: "12" });
    expect(model.node("Device.NAT.PortMapping.")).toMatchObject({ object: true, writable: true });
    expect(model.node("Events.1_BOOT")).toBeUndefined();
  });
});

const dumps = listModels().filter((m) => m.source === "device-dump");
const missing = dumps.filter((m) => !m.available);
if (missing.length > 0) {
  console.warn(
    `[beacon-sim] skipped ${missing.length} device-dump model test(s): ${missing.map((m) => m.name).join(", ")} ` +
      `not found under ${sharedDir()}/datamodels/device-dumps (set BEACON_SHARED_DIR to the shared folder)`,
  );
}

describe("device dumps from ../shared", () => {
  let acs: TinyAcs;
  beforeAll(async () => {
    acs = await startTinyAcs();
  });
  afterAll(async () => {
    await acs.close();
  });

  const expected: Record<string, { root: string; productClass: string; minNodes: number }> = {
    "huawei-eg8145v5": { root: "InternetGatewayDevice", productClass: "EG8145V5", minNodes: 3500 },
    "huawei-bm632w": { root: "InternetGatewayDevice", productClass: "BM632w", minNodes: 900 },
    "nokia-g-1425g-a": { root: "InternetGatewayDevice", productClass: "G-1425G-A", minNodes: 3500 },
    "tplink-ex220": { root: "Device", productClass: "Device2", minNodes: 5000 },
    "tplink-ec220-g5-v2": { root: "InternetGatewayDevice", productClass: "IGD", minNodes: 1500 },
  };

  for (const info of dumps) {
    const title = `${info.name} loads and holds a session with real-device parameters`;
    it.skipIf(!info.available)(info.available ? title : `${title} (skipped: ${info.file} is absent)`, async () => {
      const model = loadModel(info.name);
      const want = expected[info.name];
      expect(model.root).toBe(want?.root);
      expect(model.identity.productClass).toBe(want?.productClass);
      expect(model.size).toBeGreaterThanOrEqual(want?.minNodes ?? 0);

      const serial = `DUMP-${info.name}`;
      const device = createSimulatedDevice({ model, serialNumber: serial, acsUrl: acs.url });
      acs.queue(
        serial,
        { type: "GetParameterNames", parameterPath: `${model.root}.`, nextLevel: true },
        { type: "GetParameterValues", parameterNames: [`${model.root}.DeviceInfo.`] },
      );
      const t = await device.inform();
      await device.close();
      expect(t.outcome).toBe("completed");
      const session = acs.sessionsOf(serial)[0]!;
      expect(session.inform?.deviceId.oui).toBe(model.identity.oui);
      expect(session.inform?.parameterList.map((p) => p.name)).toContain(`${model.root}.DeviceInfo.SoftwareVersion`);
      const [names] = answersOf(session, "GetParameterNamesResponse");
      expect(names?.parameterList.map((p) => p.name)).toContain(`${model.root}.ManagementServer.`);
      const [values] = answersOf(session, "GetParameterValuesResponse");
      expect(values?.parameterList).toContainEqual(
        expect.objectContaining({ name: `${model.root}.DeviceInfo.SerialNumber`, value: serial }),
      );
    });
  }
});

function* walk(model: ReturnType<typeof loadModel>, objectName: string): Generator<string> {
  for (const name of model.children(objectName)) {
    yield name;
    if (name.endsWith(".")) yield* walk(model, name);
  }
}
