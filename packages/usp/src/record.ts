import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { UspCodecError } from "./codec-error.ts";
import { USP_ERRORS } from "./error-codes.ts";
import {
  MQTTConnectRecord_MQTTVersion,
  Record_PayloadSecurity,
  RecordSchema,
  SessionContextRecord_PayloadSARState,
} from "./generated/usp-record_pb.ts";

/** USP versions Beacon speaks, newest first (GetSupportedProtocol and the Record's `version`). */
export const USP_VERSIONS = ["1.4", "1.3"] as const;
export const USP_VERSION = USP_VERSIONS[0];

/** Larger Records are refused before parsing; a GetSupportedDMResp of a full TR-181 agent fits in well under this. */
export const MAX_RECORD_BYTES = 4 * 1024 * 1024;

export interface RecordEnvelope {
  version: string;
  toId: string;
  fromId: string;
}

export type UspRecord = RecordEnvelope &
  (
    | { kind: "noSessionContext"; payload: Uint8Array }
    /** Decoded so that it can be refused in words; Beacon does not run USP sessions (E2E session context). */
    | {
        kind: "sessionContext";
        sessionId: bigint;
        sequenceId: bigint;
        expectedId: bigint;
        segmented: boolean;
        payloads: Uint8Array[];
      }
    | { kind: "websocketConnect" }
    | { kind: "mqttConnect"; mqttVersion: "3.1.1" | "5"; subscribedTopic: string }
    | { kind: "stompConnect"; subscribedDestination: string }
    | { kind: "udsConnect" }
    | { kind: "disconnect"; reason: string; reasonCode: number }
  );

export interface DecodeRecordOptions {
  maxBytes?: number;
}

/** Bytes -> Record. Throws UspCodecError (7100 / 7102 / 7104), never anything else. */
export function decodeRecord(bytes: Uint8Array, options: DecodeRecordOptions = {}): UspRecord {
  const maxBytes = options.maxBytes ?? MAX_RECORD_BYTES;
  if (bytes.byteLength > maxBytes) {
    throw new UspCodecError(USP_ERRORS.recordNotParsed, `Record of ${bytes.byteLength} bytes exceeds ${maxBytes}`);
  }
  let raw: ReturnType<typeof fromBinary<typeof RecordSchema>>;
  try {
    raw = fromBinary(RecordSchema, bytes, { readUnknownFields: false });
  } catch (error) {
    throw new UspCodecError(USP_ERRORS.recordNotParsed, `Record could not be parsed: ${messageOf(error)}`);
  }
  if (!raw.fromId) throw new UspCodecError(USP_ERRORS.invalidRecordValue, "Record has no from_id");
  if (raw.payloadSecurity !== Record_PayloadSecurity.PLAINTEXT) {
    throw new UspCodecError(USP_ERRORS.secureSessionNotSupported, "Record payload_security TLS12 is not supported");
  }
  const envelope: RecordEnvelope = { version: raw.version, toId: raw.toId, fromId: raw.fromId };
  const type = raw.recordType;
  switch (type.case) {
    case "noSessionContext":
      return { ...envelope, kind: "noSessionContext", payload: type.value.payload };
    case "sessionContext":
      return {
        ...envelope,
        kind: "sessionContext",
        sessionId: type.value.sessionId,
        sequenceId: type.value.sequenceId,
        expectedId: type.value.expectedId,
        segmented: type.value.payloadSarState !== SessionContextRecord_PayloadSARState.NONE,
        payloads: type.value.payload,
      };
    case "websocketConnect":
      return { ...envelope, kind: "websocketConnect" };
    case "mqttConnect":
      return {
        ...envelope,
        kind: "mqttConnect",
        mqttVersion: type.value.version === MQTTConnectRecord_MQTTVersion.V5 ? "5" : "3.1.1",
        subscribedTopic: type.value.subscribedTopic,
      };
    case "stompConnect":
      return { ...envelope, kind: "stompConnect", subscribedDestination: type.value.subscribedDestination };
    case "udsConnect":
      return { ...envelope, kind: "udsConnect" };
    case "disconnect":
      return { ...envelope, kind: "disconnect", reason: type.value.reason, reasonCode: type.value.reasonCode };
    default:
      throw new UspCodecError(USP_ERRORS.invalidRecordValue, "Record has no record_type Beacon knows");
  }
}

/** Record types Beacon sends. Session context is not among them (see decodeRecord). */
export type OutgoingRecord = RecordEnvelope &
  (
    | { kind: "noSessionContext"; payload: Uint8Array }
    | { kind: "websocketConnect" }
    | { kind: "mqttConnect"; mqttVersion: "3.1.1" | "5"; subscribedTopic: string }
    | { kind: "disconnect"; reason: string; reasonCode: number }
  );

export function encodeRecord(record: OutgoingRecord): Uint8Array {
  const base = { version: record.version, toId: record.toId, fromId: record.fromId };
  switch (record.kind) {
    case "noSessionContext":
      return toBinary(
        RecordSchema,
        create(RecordSchema, {
          ...base,
          recordType: { case: "noSessionContext", value: { payload: record.payload } },
        }),
      );
    case "websocketConnect":
      return toBinary(
        RecordSchema,
        create(RecordSchema, { ...base, recordType: { case: "websocketConnect", value: {} } }),
      );
    case "mqttConnect":
      return toBinary(
        RecordSchema,
        create(RecordSchema, {
          ...base,
          recordType: {
            case: "mqttConnect",
            value: {
              version:
                record.mqttVersion === "5" ? MQTTConnectRecord_MQTTVersion.V5 : MQTTConnectRecord_MQTTVersion.V3_1_1,
              subscribedTopic: record.subscribedTopic,
            },
          },
        }),
      );
    case "disconnect":
      return toBinary(
        RecordSchema,
        create(RecordSchema, {
          ...base,
          recordType: { case: "disconnect", value: { reason: record.reason, reasonCode: record.reasonCode } },
        }),
      );
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
