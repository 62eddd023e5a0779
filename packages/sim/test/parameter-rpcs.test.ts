import type { Fault, SetParameterValues } from "@beacon/cwmp";
import { describe, expect, it } from "vitest";
import {
  addObject,
  deleteObject,
  getParameterAttributes,
  getParameterNames,
  getParameterValues,
  type ParameterAccess,
  setParameterAttributes,
  setParameterValues,
} from "../src/device/parameter-rpcs.ts";
import { ParameterStore } from "../src/device/parameter-store.ts";
import { isSecret } from "../src/device/values.ts";
import { loadModel } from "../src/model/registry.ts";

function accessTo(modelName: string): ParameterAccess {
  const store = new ParameterStore(loadModel(modelName));
  const root = store.model.root;
  return {
    store,
    read: (name) => (isSecret(name) ? "" : (store.value(name) ?? "")),
    parameterKeyName: `${root}.ManagementServer.ParameterKey`,
  };
}

const IGD = "InternetGatewayDevice";
const PPP = `${IGD}.WANDevice.1.WANConnectionDevice.1.WANPPPConnection.`;

function spv(parameterList: SetParameterValues["parameterList"], parameterKey = "k1"): SetParameterValues {
  return { type: "SetParameterValues", parameterList, parameterKey };
}

describe("GetParameterNames", () => {
  it("with an empty path and NextLevel true lists only the root object", () => {
    const answer = getParameterNames(accessTo("beacon-onu-tr098"), {
      type: "GetParameterNames",
      parameterPath: "",
      nextLevel: true,
    });
    expect(answer).toEqual({
      type: "GetParameterNamesResponse",
      parameterList: [{ name: `${IGD}.`, writable: false }],
    });
  });

  it("with NextLevel true lists the direct children of an object, objects with a trailing dot", () => {
    const answer = getParameterNames(accessTo("beacon-onu-tr098"), {
      type: "GetParameterNames",
      parameterPath: `${IGD}.LANDevice.1.Hosts.`,
      nextLevel: true,
    });
    expect(answer.type === "GetParameterNamesResponse" && answer.parameterList.map((p) => p.name)).toEqual([
      `${IGD}.LANDevice.1.Hosts.HostNumberOfEntries`,
      `${IGD}.LANDevice.1.Hosts.Host.`,
    ]);
  });

  it("with NextLevel false lists the object itself and everything below it", () => {
    const answer = getParameterNames(accessTo("beacon-onu-tr098"), {
      type: "GetParameterNames",
      parameterPath: `${PPP}1.PortMapping.`,
      nextLevel: false,
    });
    if (answer.type !== "GetParameterNamesResponse") throw new Error(answer.type);
    expect(answer.parameterList[0]).toEqual({ name: `${PPP}1.PortMapping.`, writable: true });
    expect(answer.parameterList).toContainEqual({ name: `${PPP}1.PortMapping.1.`, writable: true });
    expect(answer.parameterList).toContainEqual({ name: `${PPP}1.PortMapping.1.ExternalPort`, writable: true });
    expect(answer.parameterList).toHaveLength(8);
  });

  it("faults 9005 for an unknown path and 9003 for NextLevel true on a parameter", () => {
    const access = accessTo("beacon-onu-tr098");
    expect(
      getParameterNames(access, { type: "GetParameterNames", parameterPath: `${IGD}.Nope.`, nextLevel: false }),
    ).toMatchObject({
      type: "Fault",
      faultCode: 9005,
    });
    expect(
      getParameterNames(access, {
        type: "GetParameterNames",
        parameterPath: `${IGD}.DeviceInfo.UpTime`,
        nextLevel: true,
      }),
    ).toMatchObject({ type: "Fault", faultCode: 9003 });
  });
});

describe("GetParameterValues", () => {
  it("expands a partial path to every parameter below it, with xsd types, and hides secrets", () => {
    const access = accessTo("beacon-onu-tr098");
    access.store.setValue(`${IGD}.LANDevice.1.WLANConfiguration.1.KeyPassphrase`, "secret-psk");
    const answer = getParameterValues(access, {
      type: "GetParameterValues",
      parameterNames: [`${IGD}.LANDevice.1.WLANConfiguration.1.`, `${IGD}.DeviceInfo.SoftwareVersion`],
    });
    if (answer.type !== "GetParameterValuesResponse") throw new Error(answer.type);
    expect(answer.parameterList).toContainEqual({
      name: `${IGD}.LANDevice.1.WLANConfiguration.1.Channel`,
      value: "6",
      type: "xsd:unsignedInt",
    });
    expect(answer.parameterList).toContainEqual({
      name: `${IGD}.LANDevice.1.WLANConfiguration.1.KeyPassphrase`,
      value: "",
      type: "xsd:string",
    });
    expect(answer.parameterList.at(-1)).toEqual({
      name: `${IGD}.DeviceInfo.SoftwareVersion`,
      value: "V1.0.0",
      type: "xsd:string",
    });
    expect(answer.parameterList.every((p) => !p.name.endsWith("."))).toBe(true);
  });

  it("fails the whole request with 9005 when one name is unknown", () => {
    const answer = getParameterValues(accessTo("beacon-router-tr181"), {
      type: "GetParameterValues",
      parameterNames: ["Device.DeviceInfo.SoftwareVersion", "Device.DeviceInfo.Nope"],
    });
    expect(answer).toMatchObject({ type: "Fault", faultCode: 9005 });
  });
});

describe("SetParameterValues", () => {
  it("applies valid values, stores the ParameterKey and answers Status 0", () => {
    const access = accessTo("beacon-router-tr181");
    const { answer, changed } = setParameterValues(
      access,
      spv(
        [
          { name: "Device.WiFi.SSID.1.SSID", value: "Rotated", type: "xsd:string" },
          { name: "Device.WiFi.Radio.1.Channel", value: "1", type: "xsd:unsignedInt" },
          { name: "Device.WiFi.SSID.1.Enable", value: "0", type: "xsd:boolean" },
        ],
        "pk-42",
      ),
    );
    expect(answer).toEqual({ type: "SetParameterValuesResponse", status: 0 });
    expect(changed).toHaveLength(3);
    expect(access.store.value("Device.WiFi.SSID.1.SSID")).toBe("Rotated");
    expect(access.store.value("Device.WiFi.SSID.1.Enable")).toBe("false");
    expect(access.store.value("Device.ManagementServer.ParameterKey")).toBe("pk-42");
  });

  it("answers 9003 with a 9007, 9008 and 9005 entry per bad parameter and applies nothing", () => {
    const access = accessTo("beacon-router-tr181");
    const { answer } = setParameterValues(
      access,
      spv([
        { name: "Device.WiFi.SSID.1.SSID", value: "Fine", type: "xsd:string" },
        { name: "Device.WiFi.Radio.1.Channel", value: "eleven", type: "xsd:unsignedInt" },
        { name: "Device.DeviceInfo.SoftwareVersion", value: "9.9", type: "xsd:string" },
        { name: "Device.WiFi.Nope", value: "x", type: "xsd:string" },
        { name: "Device.Optical.Interface.1.LowerOpticalThreshold", value: "-99999999999", type: "xsd:int" },
      ]),
    );
    expect(answer).toMatchObject({
      type: "Fault",
      faultCode: 9003,
      setParameterValuesFault: [
        { parameterName: "Device.WiFi.Radio.1.Channel", faultCode: 9007 },
        { parameterName: "Device.DeviceInfo.SoftwareVersion", faultCode: 9008 },
        { parameterName: "Device.WiFi.Nope", faultCode: 9005 },
        { parameterName: "Device.Optical.Interface.1.LowerOpticalThreshold", faultCode: 9007 },
      ],
    });
    expect(access.store.value("Device.WiFi.SSID.1.SSID")).toBe("BeaconSim");
    expect(access.store.value("Device.ManagementServer.ParameterKey")).toBe("");
  });

  it("checks the xsi:type only when strict, with 9006", () => {
    const list = [{ name: "Device.WiFi.Radio.1.Channel", value: "3", type: "xsd:string" }];
    expect(setParameterValues(accessTo("beacon-router-tr181"), spv(list)).answer.type).toBe(
      "SetParameterValuesResponse",
    );
    expect(setParameterValues(accessTo("beacon-router-tr181"), spv(list), { strictTypes: true }).answer).toMatchObject({
      faultCode: 9003,
      setParameterValuesFault: [{ faultCode: 9006 }],
    });
  });
});

describe("parameter attributes", () => {
  it("sets Notification and AccessList for a subtree and reads them back", () => {
    const access = accessTo("beacon-router-tr181");
    const set = setParameterAttributes(access, {
      type: "SetParameterAttributes",
      parameterList: [
        {
          name: "Device.WiFi.SSID.1.",
          notificationChange: true,
          notification: 1,
          accessListChange: true,
          accessList: ["Subscriber"],
        },
      ],
    });
    expect(set).toEqual({ type: "SetParameterAttributesResponse" });
    const got = getParameterAttributes(access, {
      type: "GetParameterAttributes",
      parameterNames: ["Device.WiFi.SSID.1.SSID", "Device.DeviceInfo.SoftwareVersion"],
    });
    expect(got).toEqual({
      type: "GetParameterAttributesResponse",
      parameterList: [
        { name: "Device.WiFi.SSID.1.SSID", notification: 1, accessList: ["Subscriber"] },
        { name: "Device.DeviceInfo.SoftwareVersion", notification: 2, accessList: [] },
      ],
    });
  });

  it("refuses active notification on UpTime with 9009", () => {
    const answer = setParameterAttributes(accessTo("beacon-router-tr181"), {
      type: "SetParameterAttributes",
      parameterList: [
        {
          name: "Device.DeviceInfo.UpTime",
          notificationChange: true,
          notification: 2,
          accessListChange: false,
          accessList: [],
        },
      ],
    });
    expect((answer as Fault).faultCode).toBe(9009);
  });
});

describe("AddObject and DeleteObject", () => {
  it("creates instances with fresh numbers, copies the template's structure and keeps NumberOfEntries in step", () => {
    const access = accessTo("beacon-router-tr181");
    const first = addObject(access, {
      type: "AddObject",
      objectName: "Device.NAT.PortMapping.",
      parameterKey: "add-1",
    });
    expect(first).toEqual({ type: "AddObjectResponse", instanceNumber: 2, status: 0 });
    expect(access.store.value("Device.NAT.PortMapping.2.ExternalPort")).toBe("0");
    expect(access.store.value("Device.NAT.PortMapping.2.Enable")).toBe("false");
    expect(access.store.value("Device.NAT.PortMappingNumberOfEntries")).toBe("2");
    expect(access.store.value("Device.ManagementServer.ParameterKey")).toBe("add-1");

    expect(
      deleteObject(access, { type: "DeleteObject", objectName: "Device.NAT.PortMapping.1.", parameterKey: "" }),
    ).toEqual({
      type: "DeleteObjectResponse",
      status: 0,
    });
    expect(access.store.node("Device.NAT.PortMapping.1.Enable")).toBeUndefined();
    const again = addObject(access, { type: "AddObject", objectName: "Device.NAT.PortMapping.", parameterKey: "" });
    expect(again).toMatchObject({ instanceNumber: 3 });
    const names = getParameterNames(access, {
      type: "GetParameterNames",
      parameterPath: "Device.NAT.PortMapping.",
      nextLevel: true,
    });
    expect(names.type === "GetParameterNamesResponse" && names.parameterList.map((p) => p.name)).toEqual([
      "Device.NAT.PortMapping.2.",
      "Device.NAT.PortMapping.3.",
    ]);
    deleteObject(access, { type: "DeleteObject", objectName: "Device.NAT.PortMapping.3.", parameterKey: "" });
    expect(access.store.value("Device.NAT.PortMappingNumberOfEntries")).toBe("1");
  });

  it("faults 9005 for a non-table, a read-only table and an unknown instance", () => {
    const access = accessTo("beacon-router-tr181");
    expect(addObject(access, { type: "AddObject", objectName: "Device.DeviceInfo.", parameterKey: "" })).toMatchObject({
      faultCode: 9005,
    });
    expect(addObject(access, { type: "AddObject", objectName: "Device.Hosts.Host.", parameterKey: "" })).toMatchObject({
      faultCode: 9005,
    });
    expect(
      deleteObject(access, { type: "DeleteObject", objectName: "Device.NAT.PortMapping.9.", parameterKey: "" }),
    ).toMatchObject({
      faultCode: 9005,
    });
  });
});
