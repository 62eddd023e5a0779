import { afterEach, describe, expect, it } from "vitest";
import { createSimulatedDevice, opticalRamp, type SimulatedDevice } from "../src/index.ts";
import { startTinyAcs, type TinyAcs } from "./support/tiny-acs.ts";

const TR181_RX = "Device.Optical.Interface.1.OpticalSignalLevel";
const HUAWEI_RX = "InternetGatewayDevice.WANDevice.1.X_GponInterafceConfig.RXPower";
const HW_OPTICAL_RX = "InternetGatewayDevice.X_HW_Optical.RxPowerDbm";

describe("optical receive levels (options.opticalRxPower)", () => {
  const devices: SimulatedDevice[] = [];
  let acs: TinyAcs | undefined;
  afterEach(async () => {
    await Promise.all(devices.splice(0).map((d) => d.close()));
    await acs?.close();
    acs = undefined;
  });

  function device(model: string, opticalRxPower: number | ((s: number) => number)): SimulatedDevice {
    const d = createSimulatedDevice({
      model,
      acsUrl: "http://127.0.0.1:9/",
      timing: { timeScale: 0.001 },
      opticalRxPower,
    });
    devices.push(d);
    return d;
  }

  it("interpolates a ramp between its points and holds the ends", () => {
    const dip = opticalRamp([
      [10, -19],
      [20, -29],
      [30, -19],
    ]);
    expect([0, 10, 15, 20, 25, 30, 99].map(dip)).toEqual([-19, -19, -24, -29, -24, -19, -19]);
    expect(() => opticalRamp([])).toThrow();
    expect(() =>
      opticalRamp([
        [2, 0],
        [1, 0],
      ]),
    ).toThrow(/rising/);
  });

  it("reports the level in each model's unit: 0.001 dBm on TR-181, integer and decimal dBm on the TR-098 vendor paths", () => {
    expect(device("beacon-router-tr181", -27.456).get(TR181_RX)).toBe("-27456");
    const onu = device("beacon-onu-tr098", -27.456);
    expect(onu.get(HUAWEI_RX)).toBe("-27");
    expect(onu.get(HW_OPTICAL_RX)).toBe("-27.46");
    // Only receive levels follow the option.
    expect(onu.get("InternetGatewayDevice.X_HW_Optical.TxPowerDbm")).toBe("2.36");
  });

  it("follows a scripted level between reads, in Informs and in GetParameterValues", async () => {
    acs = await startTinyAcs();
    let level = -19.5;
    const router = createSimulatedDevice({
      model: "beacon-router-tr181",
      acsUrl: acs.url,
      bootstrapped: true,
      opticalRxPower: () => level,
    });
    devices.push(router);
    acs.queue(router.serialNumber, { type: "GetParameterValues", parameterNames: ["Device.Optical.Interface.1."] });
    level = -29.25;
    await router.inform();
    const response = acs.sessions[0]!.received.find((m) => m.type === "GetParameterValuesResponse");
    expect(response).toMatchObject({
      parameterList: expect.arrayContaining([{ name: TR181_RX, value: "-29250", type: "xsd:int" }]),
    });
    level = -18;
    expect(router.get(TR181_RX)).toBe("-18000");
  });

  it("drifts along a curve over the device's scaled seconds", async () => {
    // 0.001: a curve over seconds plays out in milliseconds.
    const d = device("beacon-router-tr181", (seconds) => (seconds < 50 ? -19 : -30));
    expect(d.get(TR181_RX)).toBe("-19000");
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(d.get(TR181_RX)).toBe("-30000");
  });
});

describe("live transceiver readings (the default)", () => {
  it("drift around the model's value in each parameter's own unit, differently per device", async () => {
    const { liveOpticalValue } = await import("../src/device/optical-signal.ts");
    const series = (name: string, type: string, stored: string, seed = "A") =>
      Array.from({ length: 60 }, (_, minute) => Number(liveOpticalValue(name, type, stored, minute * 60, seed)));
    const spread = (xs: number[]) => Math.max(...xs) - Math.min(...xs);
    // Decimal dBm: within a dB or two of -19.32, and moving.
    const hw = series("InternetGatewayDevice.X_HW_Optical.RxPowerDbm", "xsd:string", "-19.32");
    for (const v of hw) expect(Math.abs(v + 19.32)).toBeLessThan(1.2);
    expect(spread(hw)).toBeGreaterThan(0.3);
    // Whole dBm on xsd:int.
    for (const v of series("InternetGatewayDevice.WANDevice.1.X_GponInterafceConfig.RXPower", "xsd:int", "-21"))
      expect(Number.isInteger(v) && v >= -23 && v <= -19).toBe(true);
    // TR-181 thousandths of a dBm.
    for (const v of series("Device.Optical.Interface.1.OpticalSignalLevel", "xsd:int", "-19500"))
      expect(Math.abs(v / 1000 + 19.5)).toBeLessThan(1.2);
    // China Telecom 0.1 uW: -19.5 dBm is about 112 units, a linear power.
    for (const v of series(
      "InternetGatewayDevice.WANDevice.1.X_CT-COM_GponInterfaceConfig.RXPower",
      "xsd:unsignedInt",
      "112",
    ))
      expect(v).toBeGreaterThan(80);
    // Temperature in 1/256 °C on the China Telecom object.
    for (const v of series(
      "InternetGatewayDevice.WANDevice.1.X_CT-COM_GponInterfaceConfig.TransceiverTemperature",
      "xsd:int",
      "11520",
    ))
      expect(Math.abs(v / 256 - 45)).toBeLessThan(3.5);
    expect(series("InternetGatewayDevice.X_HW_Optical.RxPowerDbm", "xsd:string", "-19.32", "B")).not.toEqual(hw);
    expect(
      liveOpticalValue("InternetGatewayDevice.DeviceInfo.SoftwareVersion", "xsd:string", "V1", 0, "A"),
    ).toBeUndefined();
  });
});
