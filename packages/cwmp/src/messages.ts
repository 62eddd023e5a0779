import type { RpcCodec } from "./codec.ts";
import { type AddObject, type AddObjectResponse, addObject, addObjectResponse } from "./rpc/add-object.ts";
import {
  type AutonomousDUStateChangeComplete,
  type AutonomousDUStateChangeCompleteResponse,
  autonomousDuStateChangeComplete,
  autonomousDuStateChangeCompleteResponse,
} from "./rpc/autonomous-du-state-change-complete.ts";
import {
  type AutonomousTransferComplete,
  type AutonomousTransferCompleteResponse,
  autonomousTransferComplete,
  autonomousTransferCompleteResponse,
} from "./rpc/autonomous-transfer-complete.ts";
import {
  type CancelTransfer,
  type CancelTransferResponse,
  cancelTransfer,
  cancelTransferResponse,
} from "./rpc/cancel-transfer.ts";
import {
  type ChangeDUState,
  type ChangeDUStateResponse,
  changeDuState,
  changeDuStateResponse,
} from "./rpc/change-du-state.ts";
import {
  type DeleteObject,
  type DeleteObjectResponse,
  deleteObject,
  deleteObjectResponse,
} from "./rpc/delete-object.ts";
import { type Download, type DownloadResponse, download, downloadResponse } from "./rpc/download.ts";
import {
  type DUStateChangeComplete,
  type DUStateChangeCompleteResponse,
  duStateChangeComplete,
  duStateChangeCompleteResponse,
} from "./rpc/du-state-change-complete.ts";
import {
  type FactoryReset,
  type FactoryResetResponse,
  factoryReset,
  factoryResetResponse,
} from "./rpc/factory-reset.ts";
import type { Fault } from "./rpc/fault.ts";
import {
  type GetAllQueuedTransfers,
  type GetAllQueuedTransfersResponse,
  getAllQueuedTransfers,
  getAllQueuedTransfersResponse,
} from "./rpc/get-all-queued-transfers.ts";
import {
  type GetParameterAttributes,
  type GetParameterAttributesResponse,
  getParameterAttributes,
  getParameterAttributesResponse,
} from "./rpc/get-parameter-attributes.ts";
import {
  type GetParameterNames,
  type GetParameterNamesResponse,
  getParameterNames,
  getParameterNamesResponse,
} from "./rpc/get-parameter-names.ts";
import {
  type GetParameterValues,
  type GetParameterValuesResponse,
  getParameterValues,
  getParameterValuesResponse,
} from "./rpc/get-parameter-values.ts";
import {
  type GetQueuedTransfers,
  type GetQueuedTransfersResponse,
  getQueuedTransfers,
  getQueuedTransfersResponse,
} from "./rpc/get-queued-transfers.ts";
import {
  type GetRPCMethods,
  type GetRPCMethodsResponse,
  getRpcMethods,
  getRpcMethodsResponse,
} from "./rpc/get-rpc-methods.ts";
import { type Inform, type InformResponse, inform, informResponse } from "./rpc/inform.ts";
import { type Kicked, type KickedResponse, kicked, kickedResponse } from "./rpc/kicked.ts";
import { type Reboot, type RebootResponse, reboot, rebootResponse } from "./rpc/reboot.ts";
import {
  type RequestDownload,
  type RequestDownloadResponse,
  requestDownload,
  requestDownloadResponse,
} from "./rpc/request-download.ts";
import {
  type ScheduleDownload,
  type ScheduleDownloadResponse,
  scheduleDownload,
  scheduleDownloadResponse,
} from "./rpc/schedule-download.ts";
import {
  type ScheduleInform,
  type ScheduleInformResponse,
  scheduleInform,
  scheduleInformResponse,
} from "./rpc/schedule-inform.ts";
import {
  type SetParameterAttributes,
  type SetParameterAttributesResponse,
  setParameterAttributes,
  setParameterAttributesResponse,
} from "./rpc/set-parameter-attributes.ts";
import {
  type SetParameterValues,
  type SetParameterValuesResponse,
  setParameterValues,
  setParameterValuesResponse,
} from "./rpc/set-parameter-values.ts";
import {
  type TransferComplete,
  type TransferCompleteResponse,
  transferComplete,
  transferCompleteResponse,
} from "./rpc/transfer-complete.ts";
import { type Upload, type UploadResponse, upload, uploadResponse } from "./rpc/upload.ts";

/** An empty HTTP body: from the CPE "no more requests, your turn"; from the ACS "session over". */
export interface Empty {
  readonly type: "Empty";
}

/** Requests a CPE makes of the ACS (TR-069 A.3.3, A.4.2). */
export type CpeRequest =
  | Inform
  | TransferComplete
  | AutonomousTransferComplete
  | GetRPCMethods
  | RequestDownload
  | DUStateChangeComplete
  | AutonomousDUStateChangeComplete
  | Kicked;

/** A CPE's answers to ACS requests. */
export type CpeResponse =
  | GetRPCMethodsResponse
  | GetParameterValuesResponse
  | SetParameterValuesResponse
  | GetParameterNamesResponse
  | GetParameterAttributesResponse
  | SetParameterAttributesResponse
  | AddObjectResponse
  | DeleteObjectResponse
  | RebootResponse
  | FactoryResetResponse
  | DownloadResponse
  | UploadResponse
  | ScheduleInformResponse
  | ScheduleDownloadResponse
  | CancelTransferResponse
  | GetQueuedTransfersResponse
  | GetAllQueuedTransfersResponse
  | ChangeDUStateResponse;

/** Everything a CPE sends: what `decode` returns and `encodeCpe` writes. */
export type CpeMessage = CpeRequest | CpeResponse | Fault | Empty;

/** Requests the ACS makes of a CPE (TR-069 A.3.2, A.4.1). */
export type AcsRequest =
  | GetRPCMethods
  | GetParameterNames
  | GetParameterValues
  | SetParameterValues
  | GetParameterAttributes
  | SetParameterAttributes
  | AddObject
  | DeleteObject
  | Reboot
  | FactoryReset
  | Download
  | Upload
  | ScheduleInform
  | ScheduleDownload
  | CancelTransfer
  | GetQueuedTransfers
  | GetAllQueuedTransfers
  | ChangeDUState;

/** The ACS's answers to CPE requests. */
export type AcsResponse =
  | InformResponse
  | TransferCompleteResponse
  | AutonomousTransferCompleteResponse
  | GetRPCMethodsResponse
  | RequestDownloadResponse
  | DUStateChangeCompleteResponse
  | AutonomousDUStateChangeCompleteResponse
  | KickedResponse;

/** Everything the ACS sends: what `encode` writes and `decodeAcs` returns. */
export type AcsMessage = AcsRequest | AcsResponse | Fault | Empty;

type CodecTable<M extends { readonly type: string }> = {
  readonly [K in Exclude<M["type"], "Fault" | "Empty">]: RpcCodec<Extract<M, { readonly type: K }>>;
};

// Written as exhaustive tables so that a message type without a codec does not compile.
const CPE_CODECS: CodecTable<CpeMessage> = {
  Inform: inform,
  TransferComplete: transferComplete,
  AutonomousTransferComplete: autonomousTransferComplete,
  GetRPCMethods: getRpcMethods,
  RequestDownload: requestDownload,
  DUStateChangeComplete: duStateChangeComplete,
  AutonomousDUStateChangeComplete: autonomousDuStateChangeComplete,
  Kicked: kicked,
  GetRPCMethodsResponse: getRpcMethodsResponse,
  GetParameterValuesResponse: getParameterValuesResponse,
  SetParameterValuesResponse: setParameterValuesResponse,
  GetParameterNamesResponse: getParameterNamesResponse,
  GetParameterAttributesResponse: getParameterAttributesResponse,
  SetParameterAttributesResponse: setParameterAttributesResponse,
  AddObjectResponse: addObjectResponse,
  DeleteObjectResponse: deleteObjectResponse,
  RebootResponse: rebootResponse,
  FactoryResetResponse: factoryResetResponse,
  DownloadResponse: downloadResponse,
  UploadResponse: uploadResponse,
  ScheduleInformResponse: scheduleInformResponse,
  ScheduleDownloadResponse: scheduleDownloadResponse,
  CancelTransferResponse: cancelTransferResponse,
  GetQueuedTransfersResponse: getQueuedTransfersResponse,
  GetAllQueuedTransfersResponse: getAllQueuedTransfersResponse,
  ChangeDUStateResponse: changeDuStateResponse,
};

const ACS_CODECS: CodecTable<AcsMessage> = {
  InformResponse: informResponse,
  TransferCompleteResponse: transferCompleteResponse,
  AutonomousTransferCompleteResponse: autonomousTransferCompleteResponse,
  GetRPCMethodsResponse: getRpcMethodsResponse,
  RequestDownloadResponse: requestDownloadResponse,
  DUStateChangeCompleteResponse: duStateChangeCompleteResponse,
  AutonomousDUStateChangeCompleteResponse: autonomousDuStateChangeCompleteResponse,
  KickedResponse: kickedResponse,
  GetRPCMethods: getRpcMethods,
  GetParameterNames: getParameterNames,
  GetParameterValues: getParameterValues,
  SetParameterValues: setParameterValues,
  GetParameterAttributes: getParameterAttributes,
  SetParameterAttributes: setParameterAttributes,
  AddObject: addObject,
  DeleteObject: deleteObject,
  Reboot: reboot,
  FactoryReset: factoryReset,
  Download: download,
  Upload: upload,
  ScheduleInform: scheduleInform,
  ScheduleDownload: scheduleDownload,
  CancelTransfer: cancelTransfer,
  GetQueuedTransfers: getQueuedTransfers,
  GetAllQueuedTransfers: getAllQueuedTransfers,
  ChangeDUState: changeDuState,
};

/** Codecs by element name (which is also the message type) for what a CPE sends. */
export const cpeCodecs: ReadonlyMap<string, RpcCodec<CpeMessage>> = new Map(Object.entries(CPE_CODECS));

/** Codecs by element name (which is also the message type) for what the ACS sends. */
export const acsCodecs: ReadonlyMap<string, RpcCodec<AcsMessage>> = new Map(Object.entries(ACS_CODECS));
