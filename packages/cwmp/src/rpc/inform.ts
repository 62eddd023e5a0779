import type { RpcCodec } from "../codec.ts";
import { type ParameterValueStruct, readParameterValueStruct, writeParameterValueStruct } from "../structs.ts";
import { arrayItems, integer, requiredChild, text, token } from "../xml/fields.ts";
import { arrayElement, element, numberElement, rpcElement, textElement } from "../xml/writer.ts";

/** TR-069 A.3.3.1 Inform: the CPE opens every session with it. */

export interface DeviceIdStruct {
  readonly manufacturer: string;
  /** Six hex digits, upper case (TR-069 A.3.3.1); a lower-case OUI from the CPE is upper-cased. */
  readonly oui: string;
  readonly productClass: string;
  readonly serialNumber: string;
}

export interface EventStruct {
  /** Canonical spelling, e.g. "1 BOOT", "M Reboot"; vendor codes ("X 00D09E ...") as sent. */
  readonly eventCode: string;
  readonly commandKey: string;
}

export interface Inform {
  readonly type: "Inform";
  readonly deviceId: DeviceIdStruct;
  readonly event: readonly EventStruct[];
  readonly maxEnvelopes: number;
  /** As sent; see parseDateTime. CPEs with an unset clock send 1970 dates or invalid text. */
  readonly currentTime: string;
  readonly retryCount: number;
  readonly parameterList: readonly ParameterValueStruct[];
}

/** The ACS always answers MaxEnvelopes 1 (TR-069 A.3.3.1; larger values are deprecated). */
export interface InformResponse {
  readonly type: "InformResponse";
}

/** TR-069 section 3.7.1.5, Table 7 (with 13 WAKEUP and 14 HEARTBEAT from later amendments). */
export const EVENT_CODES = [
  "0 BOOTSTRAP",
  "1 BOOT",
  "2 PERIODIC",
  "3 SCHEDULED",
  "4 VALUE CHANGE",
  "5 KICKED",
  "6 CONNECTION REQUEST",
  "7 TRANSFER COMPLETE",
  "8 DIAGNOSTICS COMPLETE",
  "9 REQUEST DOWNLOAD",
  "10 AUTONOMOUS TRANSFER COMPLETE",
  "11 DU STATE CHANGE COMPLETE",
  "12 AUTONOMOUS DU STATE CHANGE COMPLETE",
  "13 WAKEUP",
  "14 HEARTBEAT",
  "M Reboot",
  "M ScheduleInform",
  "M Download",
  "M ScheduleDownload",
  "M Upload",
  "M ChangeDUState",
] as const;

const CANONICAL_EVENT_CODES: ReadonlyMap<string, string> = new Map(EVENT_CODES.map((c) => [c.toLowerCase(), c]));

/** "1 Boot", "0 bootstrap", " m  reboot " -> the spec's spelling; unknown codes keep their text, trimmed. */
export function normaliseEventCode(raw: string): string {
  const collapsed = raw.trim().replace(/\s+/g, " ");
  return CANONICAL_EVENT_CODES.get(collapsed.toLowerCase()) ?? collapsed;
}

export const inform: RpcCodec<Inform> = {
  type: "Inform",
  decode(el) {
    const id = requiredChild(el, "DeviceId");
    return {
      type: "Inform",
      deviceId: {
        manufacturer: token(id, "Manufacturer", ""),
        oui: token(id, "OUI").toUpperCase(),
        productClass: token(id, "ProductClass", ""),
        serialNumber: token(id, "SerialNumber"),
      },
      event: arrayItems(el, "Event").map((e) => ({
        eventCode: normaliseEventCode(token(e, "EventCode")),
        commandKey: text(e, "CommandKey", ""),
      })),
      maxEnvelopes: integer(el, "MaxEnvelopes", 1),
      currentTime: token(el, "CurrentTime", ""),
      retryCount: integer(el, "RetryCount", 0),
      parameterList: arrayItems(el, "ParameterList").map(readParameterValueStruct),
    };
  },
  encode(m) {
    const d = m.deviceId;
    return rpcElement(
      "Inform",
      element(
        "DeviceId",
        textElement("Manufacturer", d.manufacturer) +
          textElement("OUI", d.oui) +
          textElement("ProductClass", d.productClass) +
          textElement("SerialNumber", d.serialNumber),
      ) +
        arrayElement(
          "Event",
          "cwmp:EventStruct",
          m.event.map((e) =>
            element("EventStruct", textElement("EventCode", e.eventCode) + textElement("CommandKey", e.commandKey)),
          ),
        ) +
        numberElement("MaxEnvelopes", m.maxEnvelopes) +
        textElement("CurrentTime", m.currentTime) +
        numberElement("RetryCount", m.retryCount) +
        arrayElement(
          "ParameterList",
          "cwmp:ParameterValueStruct",
          m.parameterList.map((p) => writeParameterValueStruct(p)),
        ),
    );
  },
};

export const informResponse: RpcCodec<InformResponse> = {
  type: "InformResponse",
  decode: () => ({ type: "InformResponse" }),
  encode: () => rpcElement("InformResponse", numberElement("MaxEnvelopes", 1)),
};
