import type { FixtureEntry, ModelFixture } from "../model/fixture.ts";
import { onuTr098 } from "./onu-tr098.ts";

/**
 * A GPON ONT shaped like the Huawei EchoLife EG8145V5, written for Beacon's tests from facts of that model: TR-098
 * root, Manufacturer "Huawei Technologies Co., Ltd", OUI 00259E, optical readings only under the misspelt
 * WANDevice.1.X_GponInterafceConfig object (RXPower and TXPower whole dBm as xsd:int, TransceiverTemperature °C,
 * SupplyVoltage mV, BiasCurrent mA), no X_HW_Optical object. The rest of the tree is Beacon's own ONU's.
 */

const IGD = "InternetGatewayDevice";
const GPON = `${IGD}.WANDevice.1.X_GponInterafceConfig`;

const identity = {
  manufacturer: "Huawei Technologies Co., Ltd",
  oui: "00259E",
  productClass: "EG8145V5",
  serialNumber: "48575443A1B2C3D4",
};

const replaced: Record<string, string> = {
  [`${IGD}.DeviceInfo.Manufacturer`]: identity.manufacturer,
  [`${IGD}.DeviceInfo.ManufacturerOUI`]: identity.oui,
  [`${IGD}.DeviceInfo.ModelName`]: "EG8145V5",
  [`${IGD}.DeviceInfo.ProductClass`]: identity.productClass,
  [`${IGD}.DeviceInfo.SerialNumber`]: identity.serialNumber,
  [`${IGD}.DeviceInfo.Description`]: "EchoLife EG8145V5 GPON Terminal (CLASS B+)",
  [`${GPON}.RXPower`]: "-21",
};

const entries: FixtureEntry[] = onuTr098.entries
  .filter(([name]) => !name.startsWith(`${IGD}.X_HW_Optical.`) && name !== `${GPON}.Temperature`)
  .map((entry): FixtureEntry => {
    const value = replaced[entry[0]];
    if (value === undefined || entry[1] === "object") return entry;
    const [name, type, access, , ...rest] = entry;
    return [name, type, access, value, ...rest] as FixtureEntry;
  });
entries.push([`${GPON}.TransceiverTemperature`, "int", "r", "47"], [`${GPON}.SupplyVoltage`, "int", "r", "3310"]);

export const ontEg8145v5: ModelFixture = {
  name: "beacon-ont-eg8145v5",
  description: "EG8145V5-like GPON ONT (Huawei identity, TR-098, X_GponInterafceConfig optics only)",
  identity,
  entries: entries.map((entry) =>
    entry[0] === `${GPON}.BiasCurrent` ? [entry[0], "int", "r", "7"] : entry,
  ) as FixtureEntry[],
};
