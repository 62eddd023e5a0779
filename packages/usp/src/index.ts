/**
 * @beacon/usp: TR-369 (USP 1.3 / 1.4) Records and Msgs <-> protobuf bytes. Pure: no I/O, no clock.
 *
 * decodeRecord / encodeRecord for the Record layer (no-session-context, WebSocket/MQTT connect, disconnect;
 * session-context Records are decoded only to be refused), decodeMsg / encodeMsg with requestMsg, responseMsg and
 * errorMsg for the Msgs inside. Bad input throws UspCodecError with the USP error code to answer with.
 * The generated message types (src/generated, from proto/) are re-exported for building and reading bodies.
 */

export { UspCodecError } from "./codec-error.ts";
export { USP_ERRORS, uspErrorText } from "./error-codes.ts";
export * from "./generated/usp-msg_pb.ts";
export {
  decodeMsg,
  type ErrorInit,
  encodeMsg,
  errorMsg,
  type MsgKind,
  msgKind,
  type RequestInit,
  type RequestKind,
  type ResponseInit,
  type ResponseKind,
  requestMsg,
  responseMsg,
} from "./msg.ts";
export {
  type DecodeRecordOptions,
  decodeRecord,
  encodeRecord,
  MAX_RECORD_BYTES,
  type OutgoingRecord,
  type RecordEnvelope,
  USP_VERSION,
  USP_VERSIONS,
  type UspRecord,
} from "./record.ts";
