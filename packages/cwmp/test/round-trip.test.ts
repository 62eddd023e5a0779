import { describe, expect, it } from "vitest";
import {
  type AcsMessage,
  type CpeMessage,
  decode,
  decodeAcs,
  encode,
  encodeCpe,
  type Inform,
  type OpResultStruct,
  type ParameterValueStruct,
  type SetParameterValues,
} from "../src/index.ts";
import { readXml, type XmlElement } from "../src/xml/reader.ts";

/** encode -> decodeAcs and encodeCpe -> decode give back exactly what went in, for every message. */

type Samples<M extends { type: string }> = { [K in M["type"]]: readonly Extract<M, { type: K }>[] };

const NASTY = `a&b <c> "d" 'e' \r\n\ttab ]]> &amp; café 😀`;

const values: ParameterValueStruct[] = [
  { name: "Device.DeviceInfo.SoftwareVersion", value: "1.2.3", type: "xsd:string" },
  { name: "Device.DeviceInfo.UpTime", value: "4711", type: "xsd:unsignedInt" },
  { name: "Device.X_ACME_Note", value: NASTY, type: "xsd:string" },
  { name: "Device.Untyped", value: "no type" },
];

const opResult: OpResultStruct = {
  uuid: "6ba7b810-9dad-11d1-80b4-00c04fd430c8",
  deploymentUnitRef: "Device.SoftwareModules.DeploymentUnit.1",
  version: "2.0",
  currentState: "Installed",
  resolved: true,
  executionUnitRefList: "Device.SoftwareModules.ExecutionUnit.1",
  startTime: "2024-05-01T12:00:00Z",
  completeTime: "2024-05-01T12:00:05Z",
  fault: { faultCode: 0 },
};

const INFORM: Inform = {
  type: "Inform",
  deviceId: { manufacturer: "Acme & Co", oui: "A1B2C3", productClass: "Router <X>", serialNumber: "SN'1\"" },
  event: [
    { eventCode: "0 BOOTSTRAP", commandKey: "" },
    { eventCode: "M Download", commandKey: "fw-7" },
  ],
  maxEnvelopes: 1,
  currentTime: "2024-05-01T12:00:00+02:00",
  retryCount: 3,
  parameterList: values,
};

const SET_PARAMETER_VALUES: SetParameterValues = {
  type: "SetParameterValues",
  parameterList: [
    { name: "Device.A", value: "text", type: "xsd:string" },
    { name: "Device.B", value: "42", type: "xsd:unsignedInt" },
    { name: "Device.C", value: "-42", type: "xsd:int" },
    { name: "Device.D", value: "true", type: "xsd:boolean" },
    { name: "Device.E", value: "2024-05-01T12:00:00Z", type: "xsd:dateTime" },
    { name: "Device.F", value: "aGVsbG8=", type: "xsd:base64" },
    { name: "Device.G", value: "9007199254740993", type: "xsd:long" },
    { name: "Device.H", value: "18446744073709551615", type: "xsd:unsignedLong" },
    { name: "Device.I", value: "DEADBEEF", type: "xsd:hexBinary" },
    { name: "Device.J", value: NASTY, type: "xsd:string" },
  ],
  parameterKey: "pk-1",
};

// Exhaustive by type: adding a message type to the unions without a sample here does not compile.
const CPE_SAMPLES: Samples<CpeMessage> = {
  Inform: [
    INFORM,
    {
      type: "Inform",
      deviceId: { manufacturer: "", oui: "000000", productClass: "", serialNumber: "x" },
      event: [],
      maxEnvelopes: 2,
      currentTime: "2019-03-05T11:54::14",
      retryCount: 0,
      parameterList: [],
    },
  ],
  TransferComplete: [
    {
      type: "TransferComplete",
      commandKey: "fw-7",
      faultStruct: { faultCode: 9015, faultString: "could not reach the file server" },
      startTime: "0001-01-01T00:00:00Z",
      completeTime: "0001-01-01T00:00:00Z",
    },
  ],
  AutonomousTransferComplete: [
    {
      type: "AutonomousTransferComplete",
      announceUrl: "http://example.com/announce?a=1&b=2",
      transferUrl: "http://example.com/fw.bin",
      isDownload: true,
      fileType: "1 Firmware Upgrade Image",
      fileSize: 123456,
      targetFileName: "fw.bin",
      faultStruct: { faultCode: 0, faultString: "" },
      startTime: "2024-05-01T12:00:00Z",
      completeTime: "2024-05-01T12:01:00Z",
    },
  ],
  GetRPCMethods: [{ type: "GetRPCMethods" }],
  RequestDownload: [
    {
      type: "RequestDownload",
      fileType: "2 Web Content",
      fileTypeArg: [
        { name: "Version", value: "1.0" },
        { name: "Lang", value: "de & fr" },
      ],
    },
    { type: "RequestDownload", fileType: "1 Firmware Upgrade Image", fileTypeArg: [] },
  ],
  DUStateChangeComplete: [
    {
      type: "DUStateChangeComplete",
      results: [
        opResult,
        { ...opResult, currentState: "Failed", fault: { faultCode: 9022, faultString: "Invalid UUID" } },
      ],
      commandKey: "du-1",
    },
  ],
  AutonomousDUStateChangeComplete: [
    { type: "AutonomousDUStateChangeComplete", results: [{ ...opResult, operationPerformed: "Install" }] },
  ],
  Kicked: [{ type: "Kicked", command: "cmd", referer: "http://cpe/", arg: "a=1&b=2", next: "http://cpe/next" }],
  GetRPCMethodsResponse: [
    { type: "GetRPCMethodsResponse", methodList: ["GetRPCMethods", "GetParameterValues", "Reboot"] },
  ],
  GetParameterValuesResponse: [
    { type: "GetParameterValuesResponse", parameterList: values },
    { type: "GetParameterValuesResponse", parameterList: [] },
  ],
  SetParameterValuesResponse: [
    { type: "SetParameterValuesResponse", status: 0 },
    { type: "SetParameterValuesResponse", status: 1 },
  ],
  GetParameterNamesResponse: [
    {
      type: "GetParameterNamesResponse",
      parameterList: [
        { name: "Device.", writable: false },
        { name: "Device.ManagementServer.URL", writable: true },
      ],
    },
  ],
  GetParameterAttributesResponse: [
    {
      type: "GetParameterAttributesResponse",
      parameterList: [
        { name: "Device.DeviceInfo.SoftwareVersion", notification: 2, accessList: [] },
        { name: "Device.WiFi.SSID.1.SSID", notification: 0, accessList: ["Subscriber"] },
      ],
    },
  ],
  SetParameterAttributesResponse: [{ type: "SetParameterAttributesResponse" }],
  AddObjectResponse: [{ type: "AddObjectResponse", instanceNumber: 3, status: 0 }],
  DeleteObjectResponse: [{ type: "DeleteObjectResponse", status: 1 }],
  RebootResponse: [{ type: "RebootResponse" }],
  FactoryResetResponse: [{ type: "FactoryResetResponse" }],
  DownloadResponse: [
    { type: "DownloadResponse", status: 1, startTime: "0001-01-01T00:00:00Z", completeTime: "0001-01-01T00:00:00Z" },
  ],
  UploadResponse: [
    { type: "UploadResponse", status: 0, startTime: "2024-05-01T12:00:00Z", completeTime: "2024-05-01T12:00:09Z" },
  ],
  ScheduleInformResponse: [{ type: "ScheduleInformResponse" }],
  ScheduleDownloadResponse: [{ type: "ScheduleDownloadResponse" }],
  CancelTransferResponse: [{ type: "CancelTransferResponse" }],
  GetQueuedTransfersResponse: [
    {
      type: "GetQueuedTransfersResponse",
      transferList: [
        { commandKey: "a", state: 1 },
        { commandKey: "b", state: 2 },
      ],
    },
  ],
  GetAllQueuedTransfersResponse: [
    {
      type: "GetAllQueuedTransfersResponse",
      transferList: [
        {
          commandKey: "a",
          state: 3,
          isDownload: false,
          fileType: "1 Vendor Configuration File",
          fileSize: 0,
          targetFileName: "",
        },
      ],
    },
  ],
  ChangeDUStateResponse: [{ type: "ChangeDUStateResponse" }],
  Fault: [
    { type: "Fault", faultCode: 9005, faultString: "Invalid parameter name" },
    {
      type: "Fault",
      faultCode: 9003,
      faultString: "Invalid arguments",
      setParameterValuesFault: [
        { parameterName: "Device.A", faultCode: 9007, faultString: "Invalid parameter value" },
        { parameterName: "Device.B", faultCode: 9008, faultString: "Attempt to set a non-writable parameter" },
      ],
    },
  ],
  Empty: [{ type: "Empty" }],
};

const ACS_SAMPLES: Samples<AcsMessage> = {
  InformResponse: [{ type: "InformResponse" }],
  TransferCompleteResponse: [{ type: "TransferCompleteResponse" }],
  AutonomousTransferCompleteResponse: [{ type: "AutonomousTransferCompleteResponse" }],
  GetRPCMethodsResponse: [
    { type: "GetRPCMethodsResponse", methodList: ["Inform", "GetRPCMethods", "TransferComplete", "RequestDownload"] },
  ],
  RequestDownloadResponse: [{ type: "RequestDownloadResponse" }],
  DUStateChangeCompleteResponse: [{ type: "DUStateChangeCompleteResponse" }],
  AutonomousDUStateChangeCompleteResponse: [{ type: "AutonomousDUStateChangeCompleteResponse" }],
  KickedResponse: [{ type: "KickedResponse", nextUrl: "http://acs.example/next?x=1&y=2" }],
  Fault: [
    { type: "Fault", faultCode: 8005, faultString: "Retry request" },
    { type: "Fault", faultCode: 8003, faultString: NASTY },
  ],
  GetRPCMethods: [{ type: "GetRPCMethods" }],
  GetParameterNames: [
    { type: "GetParameterNames", parameterPath: "Device.", nextLevel: true },
    { type: "GetParameterNames", parameterPath: "", nextLevel: false },
  ],
  GetParameterValues: [
    {
      type: "GetParameterValues",
      parameterNames: ["Device.DeviceInfo.", "Device.ManagementServer.URL", "Device.X_<&>"],
    },
  ],
  SetParameterValues: [SET_PARAMETER_VALUES],
  GetParameterAttributes: [{ type: "GetParameterAttributes", parameterNames: ["Device.WiFi."] }],
  SetParameterAttributes: [
    {
      type: "SetParameterAttributes",
      parameterList: [
        { name: "Device.A", notificationChange: true, notification: 2, accessListChange: false, accessList: [] },
        {
          name: "Device.B",
          notificationChange: false,
          notification: 0,
          accessListChange: true,
          accessList: ["Subscriber"],
        },
      ],
    },
  ],
  AddObject: [{ type: "AddObject", objectName: "Device.NAT.PortMapping.", parameterKey: "" }],
  DeleteObject: [{ type: "DeleteObject", objectName: "Device.NAT.PortMapping.3.", parameterKey: "pk" }],
  Reboot: [{ type: "Reboot", commandKey: "reboot-1" }],
  FactoryReset: [{ type: "FactoryReset" }],
  Download: [
    {
      type: "Download",
      commandKey: "0f8e4c2a9b7d4e1f8a3c5b6d7e8f9a0b",
      fileType: "1 Firmware Upgrade Image",
      url: "https://files.example/fw.bin?sig=a&exp=1",
      username: "user",
      password: "p<a>ss&",
      fileSize: 1048576,
      targetFileName: "fw.bin",
      delaySeconds: 0,
      successUrl: "",
      failureUrl: "",
    },
  ],
  Upload: [
    {
      type: "Upload",
      commandKey: "up-1",
      fileType: "2 Vendor Log File",
      url: "https://files.example/up",
      username: "",
      password: "",
      delaySeconds: 30,
    },
  ],
  ScheduleInform: [{ type: "ScheduleInform", delaySeconds: 60, commandKey: "si" }],
  ScheduleDownload: [
    {
      type: "ScheduleDownload",
      commandKey: "sd",
      fileType: "1 Firmware Upgrade Image",
      url: "https://files.example/fw.bin",
      username: "",
      password: "",
      fileSize: 10,
      targetFileName: "",
      timeWindowList: [
        { windowStart: 0, windowEnd: 3600, windowMode: "1 At Any Time", userMessage: "", maxRetries: -1 },
        {
          windowStart: 7200,
          windowEnd: 9000,
          windowMode: "4 Confirmation Needed",
          userMessage: "Update?",
          maxRetries: 3,
        },
      ],
    },
  ],
  CancelTransfer: [{ type: "CancelTransfer", commandKey: "sd" }],
  GetQueuedTransfers: [{ type: "GetQueuedTransfers" }],
  GetAllQueuedTransfers: [{ type: "GetAllQueuedTransfers" }],
  ChangeDUState: [
    {
      type: "ChangeDUState",
      operations: [
        {
          operation: "Install",
          url: "https://files.example/app.ipk",
          uuid: opResult.uuid,
          executionEnvRef: "Device.SoftwareModules.ExecEnv.1",
        },
        { operation: "Update", uuid: opResult.uuid, version: "2.1" },
        { operation: "Uninstall", uuid: opResult.uuid, version: "2.0" },
      ],
      commandKey: "du",
    },
  ],
  Empty: [{ type: "Empty" }],
};

const cpeCases: CpeMessage[] = Object.values<readonly CpeMessage[]>(CPE_SAMPLES).flat();
const acsCases: AcsMessage[] = Object.values<readonly AcsMessage[]>(ACS_SAMPLES).flat();
const NAMESPACE = "urn:dslforum-org:cwmp-1-2";

/** Every element with a soap-enc:arrayType declares as many items as it holds. */
function arrayTypeMismatches(xml: string): string[] {
  const read = readXml(xml, { maxDepth: 64, maxElements: 10_000, maxAttributes: 64 });
  if (!read.ok) return [read.message];
  const problems: string[] = [];
  const visit = (el: XmlElement) => {
    const arrayType = el.attributes.find((a) => a.name === "arrayType")?.value;
    if (arrayType !== undefined) {
      const declared = Number(arrayType.slice(arrayType.indexOf("[") + 1, -1));
      if (declared !== el.children.length) problems.push(`${el.name}: ${arrayType} with ${el.children.length} items`);
    }
    el.children.forEach(visit);
  };
  visit(read.root);
  return problems;
}

describe("CPE messages: encodeCpe -> decode", () => {
  it.each(cpeCases.map((m) => [m.type, m] as const))("round-trips %s", (_type, message) => {
    const xml = encodeCpe(message, { namespace: NAMESPACE, id: "cpe-1" });
    const result = decode(xml);
    if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}\n${xml}`);
    expect(result.envelope.message).toStrictEqual(message);
    if (message.type !== "Empty")
      expect(result.envelope).toMatchObject({ namespace: NAMESPACE, header: { id: "cpe-1" } });
    expect(arrayTypeMismatches(xml || "<empty/>")).toEqual([]);
  });
});

describe("ACS messages: encode -> decodeAcs", () => {
  it.each(acsCases.map((m) => [m.type, m] as const))("round-trips %s", (_type, message) => {
    const xml = encode(message, { namespace: NAMESPACE, id: "acs-1" });
    const result = decodeAcs(xml);
    if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}\n${xml}`);
    expect(result.envelope.message).toStrictEqual(message);
    expect(arrayTypeMismatches(xml || "<empty/>")).toEqual([]);
  });
});

describe("encoding details", () => {
  it("writes SOAP-ENC arrayType counts that match the items", () => {
    const gpv = encode({ type: "GetParameterValues", parameterNames: ["A.", "B.", "C."] }, { namespace: NAMESPACE });
    expect(gpv).toContain('<ParameterNames soap-enc:arrayType="xsd:string[3]">');
    const spv = encode(SET_PARAMETER_VALUES, { namespace: NAMESPACE });
    expect(spv).toContain('soap-enc:arrayType="cwmp:ParameterValueStruct[10]"');
    const empty = encode({ type: "GetParameterValues", parameterNames: [] }, { namespace: NAMESPACE });
    expect(empty).toContain('soap-enc:arrayType="xsd:string[0]"');
  });

  it("escapes &, <, >, \" and ' in values", () => {
    const xml = encode(
      { type: "SetParameterValues", parameterList: [{ name: "A.b", value: `&<>"'` }], parameterKey: "" },
      { namespace: NAMESPACE },
    );
    expect(xml).toContain('<Value xsi:type="xsd:string">&amp;&lt;&gt;&quot;&apos;</Value>');
  });

  it("replaces characters XML cannot carry, so the output is always well-formed", () => {
    const xml = encode(
      { type: "SetParameterValues", parameterList: [{ name: "A.b", value: "bell\u0007 nul\u0000" }], parameterKey: "" },
      { namespace: NAMESPACE },
    );
    const result = decodeAcs(xml);
    expect(
      result.ok &&
        result.envelope.message.type === "SetParameterValues" &&
        result.envelope.message.parameterList[0]?.value,
    ).toBe("bell\ufffd nul\ufffd");
  });

  it.each([
    ["unsignedInt", "xsd:unsignedInt"],
    ["xsd:int", "xsd:int"],
    ["boolean", "xsd:boolean"],
    ["dateTime", "xsd:dateTime"],
    ["base64", "xsd:base64"],
    ["long", "xsd:long"],
    ["unsignedLong", "xsd:unsignedLong"],
    ["hexBinary", "xsd:hexBinary"],
    ["StatsCounter64", "xsd:unsignedLong"],
    ["IPAddress", "xsd:string"],
    [undefined, "xsd:string"],
  ])('sends SetParameterValues type %s as xsi:type="%s"', (type, xsiType) => {
    const parameter = type === undefined ? { name: "A.b", value: "1" } : { name: "A.b", value: "1", type };
    const xml = encode(
      { type: "SetParameterValues", parameterList: [parameter], parameterKey: "" },
      { namespace: NAMESPACE },
    );
    expect(xml).toContain(`<Value xsi:type="${xsiType}">1</Value>`);
  });

  it("writes the cwmp:ID header only when an id is given", () => {
    const without = encode({ type: "InformResponse" }, { namespace: NAMESPACE });
    expect(without).not.toContain("cwmp:ID");
    expect(without).not.toContain("soap-env:Header");
    const result = decodeAcs(without);
    expect(result.ok && result.envelope.header).toEqual({});

    const withId = encode({ type: "InformResponse" }, { namespace: NAMESPACE, id: "THOM_CPE_ALC_ID_9" });
    expect(withId).toContain('<cwmp:ID soap-env:mustUnderstand="1">THOM_CPE_ALC_ID_9</cwmp:ID>');
    const again = decodeAcs(withId);
    expect(again.ok && again.envelope.header).toEqual({ id: "THOM_CPE_ALC_ID_9" });
  });

  it("echoes the ID a CPE sent and omits it when the CPE sent none", () => {
    const withId = decode(encodeCpe({ type: "RebootResponse" }, { namespace: NAMESPACE, id: "x<1>" }));
    expect(withId.ok && withId.envelope.header.id).toBe("x<1>");
    const answer = withId.ok
      ? encode({ type: "GetRPCMethods" }, { namespace: withId.envelope.namespace, ...withId.envelope.header })
      : "";
    expect(answer).toContain('<cwmp:ID soap-env:mustUnderstand="1">x&lt;1&gt;</cwmp:ID>');
  });

  it("writes HoldRequests, UseCWMPVersion and the CPE's session headers", () => {
    const xml = encode(
      { type: "InformResponse" },
      { namespace: NAMESPACE, id: "1", holdRequests: true, useCwmpVersion: "1.4" },
    );
    const result = decodeAcs(xml);
    expect(result.ok && result.envelope.header).toEqual({ id: "1", holdRequests: true, useCwmpVersion: "1.4" });
    const cpe = encodeCpe({ type: "Empty" }, { namespace: NAMESPACE });
    expect(cpe).toBe("");
    const header = { id: "2", noMoreRequests: true, sessionTimeout: 30, supportedCwmpVersions: "1.0,1.4" };
    const inform = decode(encodeCpe(INFORM, { namespace: NAMESPACE, ...header }));
    expect(inform.ok && inform.envelope.header).toEqual(header);
  });

  it.each([0, 1, 2, 3, 4])("answers in the namespace urn:dslforum-org:cwmp-1-%i the CPE used", (minor) => {
    const namespace = `urn:dslforum-org:cwmp-1-${minor}`;
    const informXml = encodeCpe(INFORM, { namespace, id: "1" });
    const inform = decode(informXml);
    expect(inform.ok && inform.envelope).toMatchObject({ namespace, version: `1.${minor}` });
    const answer = encode({ type: "InformResponse" }, { namespace, id: "1" });
    expect(answer).toContain(`xmlns:cwmp="${namespace}"`);
    const decoded = decodeAcs(answer);
    expect(decoded.ok && decoded.envelope).toMatchObject({ namespace, version: `1.${minor}` });
  });

  it("writes the standard fault text when the ACS gives none", () => {
    const result = decodeAcs(encode({ type: "Fault", faultCode: 8005 }, { namespace: NAMESPACE }));
    expect(result.ok && result.envelope.message).toEqual({
      type: "Fault",
      faultCode: 8005,
      faultString: "Retry request",
    });
    expect(encode({ type: "Fault", faultCode: 8003 }, { namespace: NAMESPACE })).toContain(
      "<faultcode>Client</faultcode>",
    );
    expect(encode({ type: "Fault", faultCode: 8000 }, { namespace: NAMESPACE })).toContain(
      "<faultcode>Server</faultcode>",
    );
  });

  it("answers Empty with an empty body", () => {
    expect(encode({ type: "Empty" }, { namespace: NAMESPACE })).toBe("");
    expect(decodeAcs("")).toMatchObject({ ok: true, envelope: { message: { type: "Empty" } } });
  });

  it("reads ChangeDUState operations wrapped in an <InstallOpStruct> element instead of xsi:type", () => {
    const xml =
      `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:cwmp="${NAMESPACE}"><s:Body><cwmp:ChangeDUState>` +
      "<Operations><InstallOpStruct><URL>http://x/app</URL><UUID>u-1</UUID></InstallOpStruct></Operations>" +
      "<CommandKey>k</CommandKey></cwmp:ChangeDUState></s:Body></s:Envelope>";
    const result = decodeAcs(xml);
    expect(result.ok && result.envelope.message).toEqual({
      type: "ChangeDUState",
      operations: [{ operation: "Install", url: "http://x/app", uuid: "u-1" }],
      commandKey: "k",
    });
  });

  it("refuses a CPE message given to decodeAcs as unknown-rpc", () => {
    const result = decodeAcs(encodeCpe(INFORM, { namespace: NAMESPACE }));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ code: "unknown-rpc", rpc: "Inform" });
  });
});
