import { emptyMessageCodec, type RpcCodec } from "../codec.ts";
import { arrayItems, boolean, integer, text } from "../xml/fields.ts";
import { arrayElement, booleanElement, element, numberElement, rpcElement, textElement } from "../xml/writer.ts";

/** TR-069 A.4.1.7 GetAllQueuedTransfers: every queued or running transfer, whoever asked for it. */

export interface AllQueuedTransferStruct {
  readonly commandKey: string;
  /** 1 not yet started, 2 in progress, 3 completed. */
  readonly state: number;
  readonly isDownload: boolean;
  readonly fileType: string;
  readonly fileSize: number;
  readonly targetFileName: string;
}

export interface GetAllQueuedTransfers {
  readonly type: "GetAllQueuedTransfers";
}

export interface GetAllQueuedTransfersResponse {
  readonly type: "GetAllQueuedTransfersResponse";
  readonly transferList: readonly AllQueuedTransferStruct[];
}

export const getAllQueuedTransfers = emptyMessageCodec("GetAllQueuedTransfers");

export const getAllQueuedTransfersResponse: RpcCodec<GetAllQueuedTransfersResponse> = {
  type: "GetAllQueuedTransfersResponse",
  decode: (el) => ({
    type: "GetAllQueuedTransfersResponse",
    transferList: arrayItems(el, "TransferList").map((t) => ({
      commandKey: text(t, "CommandKey", ""),
      state: integer(t, "State"),
      isDownload: boolean(t, "IsDownload"),
      fileType: text(t, "FileType", ""),
      fileSize: integer(t, "FileSize", 0),
      targetFileName: text(t, "TargetFileName", ""),
    })),
  }),
  encode: (m) =>
    rpcElement(
      "GetAllQueuedTransfersResponse",
      arrayElement(
        "TransferList",
        "cwmp:AllQueuedTransferStruct",
        m.transferList.map((t) =>
          element(
            "AllQueuedTransferStruct",
            textElement("CommandKey", t.commandKey) +
              numberElement("State", t.state) +
              booleanElement("IsDownload", t.isDownload) +
              textElement("FileType", t.fileType) +
              numberElement("FileSize", t.fileSize) +
              textElement("TargetFileName", t.targetFileName),
          ),
        ),
      ),
    ),
};
