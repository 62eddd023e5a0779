/**
 * @beacon/cwmp: TR-069 (CWMP) messages <-> SOAP/XML, in both directions. Pure: no I/O, no clock.
 *
 * ACS side:  decode(body, headers) for what a CPE sends, encode(message, { namespace, id }) for the answer.
 * CPE side (the simulator): encodeCpe(message, options) and decodeAcs(body).
 */

export { parseDateTime } from "./datetime.ts";
export {
  type AcsEnvelope,
  type CpeEnvelope,
  type DecodeError,
  type DecodeErrorCode,
  type DecodeOptions,
  type DecodeResult,
  decode,
  decodeAcs,
  type EncodeOptions,
  type Envelope,
  type EnvelopeHeader,
  encode,
  encodeCpe,
  type HttpHeaders,
} from "./envelope.ts";
export { ACS_FAULTS, CPE_FAULTS, type FaultInfo, faultInfo, faultText, soapFaultCodeOf } from "./faults.ts";
export type {
  AcsMessage,
  AcsRequest,
  AcsResponse,
  CpeMessage,
  CpeRequest,
  CpeResponse,
  Empty,
} from "./messages.ts";
export type { AddObject, AddObjectResponse } from "./rpc/add-object.ts";
export type {
  AutonOpResultStruct,
  AutonomousDUStateChangeComplete,
  AutonomousDUStateChangeCompleteResponse,
} from "./rpc/autonomous-du-state-change-complete.ts";
export type {
  AutonomousTransferComplete,
  AutonomousTransferCompleteResponse,
} from "./rpc/autonomous-transfer-complete.ts";
export type { CancelTransfer, CancelTransferResponse } from "./rpc/cancel-transfer.ts";
export type {
  ChangeDUState,
  ChangeDUStateResponse,
  InstallOpStruct,
  OperationStruct,
  UninstallOpStruct,
  UpdateOpStruct,
} from "./rpc/change-du-state.ts";
export type { DeleteObject, DeleteObjectResponse } from "./rpc/delete-object.ts";
export type { Download, DownloadResponse } from "./rpc/download.ts";
export type { DUStateChangeComplete, DUStateChangeCompleteResponse } from "./rpc/du-state-change-complete.ts";
export type { FactoryReset, FactoryResetResponse } from "./rpc/factory-reset.ts";
export type { Fault, SetParameterValuesFault } from "./rpc/fault.ts";
export type {
  AllQueuedTransferStruct,
  GetAllQueuedTransfers,
  GetAllQueuedTransfersResponse,
} from "./rpc/get-all-queued-transfers.ts";
export type {
  GetParameterAttributes,
  GetParameterAttributesResponse,
  ParameterAttributeStruct,
} from "./rpc/get-parameter-attributes.ts";
export type { GetParameterNames, GetParameterNamesResponse, ParameterInfoStruct } from "./rpc/get-parameter-names.ts";
export type { GetParameterValues, GetParameterValuesResponse } from "./rpc/get-parameter-values.ts";
export type {
  GetQueuedTransfers,
  GetQueuedTransfersResponse,
  QueuedTransferStruct,
} from "./rpc/get-queued-transfers.ts";
export type { GetRPCMethods, GetRPCMethodsResponse } from "./rpc/get-rpc-methods.ts";
export {
  type DeviceIdStruct,
  EVENT_CODES,
  type EventStruct,
  type Inform,
  type InformResponse,
  normaliseEventCode,
} from "./rpc/inform.ts";
export type { Kicked, KickedResponse } from "./rpc/kicked.ts";
export type { Reboot, RebootResponse } from "./rpc/reboot.ts";
export type { ArgStruct, RequestDownload, RequestDownloadResponse } from "./rpc/request-download.ts";
export type { ScheduleDownload, ScheduleDownloadResponse, TimeWindowStruct } from "./rpc/schedule-download.ts";
export type { ScheduleInform, ScheduleInformResponse } from "./rpc/schedule-inform.ts";
export type {
  SetParameterAttributes,
  SetParameterAttributesResponse,
  SetParameterAttributesStruct,
} from "./rpc/set-parameter-attributes.ts";
export type { SetParameterValues, SetParameterValuesResponse } from "./rpc/set-parameter-values.ts";
export type { TransferComplete, TransferCompleteResponse } from "./rpc/transfer-complete.ts";
export type { Upload, UploadResponse } from "./rpc/upload.ts";
export {
  type OpResultStruct,
  type ParameterValueStruct,
  parameterName,
  type TransferCompleteFaultStruct,
  XSD_TYPES,
  type XsdType,
  xsdTypeOf,
} from "./structs.ts";
export {
  CWMP_NAMESPACES,
  type CwmpVersion,
  cwmpVersionOf,
  DEFAULT_CWMP_NAMESPACE,
  isCwmpNamespace,
} from "./versions.ts";
