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
