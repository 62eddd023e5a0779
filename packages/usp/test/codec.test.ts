import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  decodeMsg,
  decodeRecord,
  encodeMsg,
  encodeRecord,
  errorMsg,
  Header_MsgType,
  MAX_RECORD_BYTES,
  type Msg,
  msgKind,
  requestMsg,
  responseMsg,
  UspCodecError,
} from "../src/index.ts";

function roundTrip(msg: Msg): Msg {
  return decodeMsg(encodeMsg(msg));
}

describe("USP Msgs", () => {
  it("carries every request and response Beacon uses through encode and decode", () => {
    const msgs: Msg[] = [
      requestMsg("1", { case: "get", value: { paramPaths: ["Device.DeviceInfo."], maxDepth: 2 } }),
      responseMsg("1", {
        case: "getResp",
        value: {
          reqPathResults: [
            {
              requestedPath: "Device.DeviceInfo.",
              resolvedPathResults: [{ resolvedPath: "Device.DeviceInfo.", resultParams: { SerialNumber: "S1" } }],
            },
          ],
        },
      }),
      requestMsg("2", {
        case: "set",
        value: {
          allowPartial: false,
          updateObjs: [
            { objPath: "Device.WiFi.SSID.1.", paramSettings: [{ param: "SSID", value: "Room 12", required: true }] },
          ],
        },
      }),
      responseMsg("2", {
        case: "setResp",
        value: {
          updatedObjResults: [
            {
              requestedPath: "Device.WiFi.SSID.1.",
              operStatus: {
                operStatus: {
                  case: "operSuccess",
                  value: {
                    updatedInstResults: [{ affectedPath: "Device.WiFi.SSID.1.", updatedParams: { SSID: "Room 12" } }],
                  },
                },
              },
            },
          ],
        },
      }),
      requestMsg("3", {
        case: "add",
        value: {
          createObjs: [{ objPath: "Device.NAT.PortMapping.", paramSettings: [{ param: "Enable", value: "true" }] }],
        },
      }),
      responseMsg("3", {
        case: "addResp",
        value: {
          createdObjResults: [
            {
              requestedPath: "Device.NAT.PortMapping.",
              operStatus: {
                operStatus: { case: "operSuccess", value: { instantiatedPath: "Device.NAT.PortMapping.7." } },
              },
            },
          ],
        },
      }),
      requestMsg("4", { case: "delete", value: { objPaths: ["Device.NAT.PortMapping.7."] } }),
      responseMsg("4", {
        case: "deleteResp",
        value: {
          deletedObjResults: [
            {
              requestedPath: "Device.NAT.PortMapping.7.",
              operStatus: { operStatus: { case: "operFailure", value: { errCode: 7016, errMsg: "gone" } } },
            },
          ],
        },
      }),
      requestMsg("5", {
        case: "operate",
        value: {
          command: "Device.IP.Diagnostics.IPPing()",
          commandKey: "k1",
          sendResp: true,
          inputArgs: { Host: "a" },
        },
      }),
      responseMsg("5", {
        case: "operateResp",
        value: {
          operationResults: [
            {
              executedCommand: "Device.IP.Diagnostics.IPPing()",
              operationResp: { case: "reqObjPath", value: "Device.LocalAgent.Request.1." },
            },
          ],
        },
      }),
      requestMsg("6", {
        case: "notify",
        value: {
          subscriptionId: "beacon-boot",
          sendResp: true,
          notification: {
            case: "event",
            value: { objPath: "Device.", eventName: "Boot!", params: { Cause: "LocalReboot" } },
          },
        },
      }),
      responseMsg("6", { case: "notifyResp", value: { subscriptionId: "beacon-boot" } }),
      requestMsg("7", {
        case: "getSupportedDm",
        value: { objPaths: ["Device."], firstLevelOnly: true, returnParams: true },
      }),
      responseMsg("7", {
        case: "getSupportedDmResp",
        value: {
          reqObjResults: [
            { reqObjPath: "Device.", supportedObjs: [{ supportedObjPath: "Device.", isMultiInstance: false }] },
          ],
        },
      }),
      requestMsg("8", { case: "getInstances", value: { objPaths: ["Device.WiFi.SSID."] } }),
      responseMsg("8", {
        case: "getInstancesResp",
        value: {
          reqPathResults: [
            { requestedPath: "Device.WiFi.SSID.", currInsts: [{ instantiatedObjPath: "Device.WiFi.SSID.3." }] },
          ],
        },
      }),
      requestMsg("9", { case: "getSupportedProtocol", value: { controllerSupportedProtocolVersions: "1.3,1.4" } }),
      responseMsg("9", { case: "getSupportedProtocolResp", value: { agentSupportedProtocolVersions: "1.0,1.3" } }),
      errorMsg("10", {
        errCode: 7004,
        errMsg: "bad",
        paramErrs: [{ paramPath: "Device.X", errCode: 7026, errMsg: "no" }],
      }),
    ];
    for (const msg of msgs) {
      const back = roundTrip(msg);
      expect(msgKind(back)).toBe(msgKind(msg));
      expect(back.header?.msgId).toBe(msg.header?.msgId);
      expect(encodeMsg(back)).toEqual(encodeMsg(msg));
    }
  });

  it("sets msg_type from the body", () => {
    expect(requestMsg("x", { case: "operate", value: {} }).header?.msgType).toBe(Header_MsgType.OPERATE);
    expect(responseMsg("x", { case: "notifyResp", value: {} }).header?.msgType).toBe(Header_MsgType.NOTIFY_RESP);
  });

  it("refuses a Msg whose msg_type disagrees with its body, naming the msg_id", () => {
    const msg = requestMsg("m-1", { case: "get", value: { paramPaths: ["Device."] } });
    msg.header!.msgType = Header_MsgType.SET;
    const error = catchError(() => decodeMsg(encodeMsg(msg)));
    expect(error.errCode).toBe(7004);
    expect(error.msgId).toBe("m-1");
  });

  it("answers an unknown request type (an empty or newer body) with 7001 and the msg_id", () => {
    // Header{msg_id="m-2", msg_type=99}, Body{request{field 60: ""}}: a request case this codec does not know.
    const bytes = Uint8Array.from([
      0x0a, 0x07, 0x0a, 0x03, 0x6d, 0x2d, 0x32, 0x10, 0x63, 0x12, 0x05, 0x0a, 0x03, 0xe2, 0x03, 0x00,
    ]);
    const error = catchError(() => decodeMsg(bytes));
    expect(error.errCode).toBe(7001);
    expect(error.msgId).toBe("m-2");
  });

  it("refuses a Msg without header", () => {
    expect(catchError(() => decodeMsg(new Uint8Array())).errCode).toBe(7000);
  });
});

describe("USP Records", () => {
  it("carries a no-session-context Record with its Msg", () => {
    const payload = encodeMsg(requestMsg("1", { case: "get", value: { paramPaths: ["Device."] } }));
    const bytes = encodeRecord({
      version: "1.3",
      toId: "self::beacon",
      fromId: "os::012345-S1",
      kind: "noSessionContext",
      payload,
    });
    const record = decodeRecord(bytes);
    expect(record).toMatchObject({
      version: "1.3",
      toId: "self::beacon",
      fromId: "os::012345-S1",
      kind: "noSessionContext",
    });
    expect(record.kind === "noSessionContext" && msgKind(decodeMsg(record.payload))).toBe("get");
  });

  it("carries WebSocket and MQTT connect and disconnect Records", () => {
    const base = { version: "1.4", toId: "a", fromId: "b" };
    expect(decodeRecord(encodeRecord({ ...base, kind: "websocketConnect" })).kind).toBe("websocketConnect");
    expect(
      decodeRecord(encodeRecord({ ...base, kind: "mqttConnect", mqttVersion: "5", subscribedTopic: "usp/agent/b" })),
    ).toMatchObject({ kind: "mqttConnect", mqttVersion: "5", subscribedTopic: "usp/agent/b" });
    expect(
      decodeRecord(encodeRecord({ ...base, kind: "mqttConnect", mqttVersion: "3.1.1", subscribedTopic: "t" })),
    ).toMatchObject({ mqttVersion: "3.1.1" });
    expect(decodeRecord(encodeRecord({ ...base, kind: "disconnect", reason: "bye", reasonCode: 7003 }))).toMatchObject({
      kind: "disconnect",
      reason: "bye",
      reasonCode: 7003,
    });
  });

  it("refuses a Record without from_id (7104) or without a record type (7104)", () => {
    const noFrom = encodeRecord({ version: "1.3", toId: "a", fromId: "", kind: "websocketConnect" });
    expect(catchError(() => decodeRecord(noFrom)).errCode).toBe(7104);
    // Record{version="1.3", from_id="b"} and nothing else.
    const noType = Uint8Array.from([0x0a, 0x03, 0x31, 0x2e, 0x33, 0x1a, 0x01, 0x62]);
    expect(catchError(() => decodeRecord(noType)).errCode).toBe(7104);
  });

  it("refuses an oversized Record before parsing it", () => {
    const error = catchError(() => decodeRecord(new Uint8Array(MAX_RECORD_BYTES + 1)));
    expect(error.errCode).toBe(7100);
    expect(error.message).toMatch(/exceeds/);
    expect(catchError(() => decodeRecord(new Uint8Array(100), { maxBytes: 10 })).errCode).toBe(7100);
  });

  it("refuses end-to-end TLS payload security it does not support (7102)", () => {
    // Record{from_id="b", payload_security=TLS12, websocket_connect{}}
    const bytes = Uint8Array.from([0x1a, 0x01, 0x62, 0x20, 0x01, 0x4a, 0x00]);
    expect(catchError(() => decodeRecord(bytes)).errCode).toBe(7102);
  });
});

describe("hostile bytes", () => {
  const valid = encodeRecord({
    version: "1.3",
    toId: "self::beacon",
    fromId: "os::012345-S1",
    kind: "noSessionContext",
    payload: encodeMsg(
      requestMsg("n", {
        case: "notify",
        value: {
          subscriptionId: "s",
          notification: { case: "valueChange", value: { paramPath: "Device.X", paramValue: "1" } },
        },
      }),
    ),
  });

  it("never throws anything but UspCodecError on truncated Records and Msgs", () => {
    for (let length = 0; length < valid.length; length++) {
      expectOnlyCodecErrors(() => {
        const record = decodeRecord(valid.subarray(0, length));
        if (record.kind === "noSessionContext") decodeMsg(record.payload);
      });
    }
  });

  it("never throws anything but UspCodecError on 5,000 random or bit-flipped inputs", () => {
    for (let i = 0; i < 5000; i++) {
      const bytes = i % 2 === 0 ? randomBytes(1 + (i % 300)) : flipOne(valid, i);
      expectOnlyCodecErrors(() => decodeRecord(bytes));
      expectOnlyCodecErrors(() => decodeMsg(bytes));
    }
  });

  it("survives deeply nested groups and huge declared lengths", () => {
    const groups = new Uint8Array(200_000).fill(0x0b); // field 1, start group, over and over
    expectOnlyCodecErrors(() => decodeRecord(groups));
    expectOnlyCodecErrors(() => decodeMsg(groups));
    const hugeLength = Uint8Array.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]);
    expectOnlyCodecErrors(() => decodeRecord(hugeLength));
  });
});

function flipOne(bytes: Uint8Array, seed: number): Uint8Array {
  const copy = Uint8Array.from(bytes);
  const at = (seed * 7919) % copy.length;
  copy[at] = copy[at]! ^ (1 << (seed % 8));
  return copy;
}

function expectOnlyCodecErrors(run: () => unknown) {
  try {
    run();
  } catch (error) {
    if (!(error instanceof UspCodecError)) throw error;
  }
}

function catchError(run: () => unknown): UspCodecError {
  try {
    run();
  } catch (error) {
    if (error instanceof UspCodecError) return error;
    throw error;
  }
  throw new Error("expected a UspCodecError");
}
