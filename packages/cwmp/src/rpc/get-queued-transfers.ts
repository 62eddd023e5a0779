import { emptyMessageCodec, type RpcCodec } from "../codec.ts";
import { arrayItems, integer, text } from "../xml/fields.ts";
import { arrayElement, element, numberElement, rpcElement, textElement } from "../xml/writer.ts";

/** TR-069 A.4.1.2 GetQueuedTransfers (deprecated by GetAllQueuedTransfers, still answered by old CPEs). */

export interface QueuedTransferStruct {
  readonly commandKey: string;
  /** 1 not yet started, 2 in progress, 3 completed. */
  readonly state: number;
}

export interface GetQueuedTransfers {
  readonly type: "GetQueuedTransfers";
}

export interface GetQueuedTransfersResponse {
  readonly type: "GetQueuedTransfersResponse";
  readonly transferList: readonly QueuedTransferStruct[];
}

export const getQueuedTransfers = emptyMessageCodec("GetQueuedTransfers");

export const getQueuedTransfersResponse: RpcCodec<GetQueuedTransfersResponse> = {
  type: "GetQueuedTransfersResponse",
  decode: (el) => ({
    type: "GetQueuedTransfersResponse",
    transferList: arrayItems(el, "TransferList").map((t) => ({
      commandKey: text(t, "CommandKey", ""),
      state: integer(t, "State"),
    })),
  }),
  encode: (m) =>
    rpcElement(
      "GetQueuedTransfersResponse",
      arrayElement(
        "TransferList",
        "cwmp:QueuedTransferStruct",
        m.transferList.map((t) =>
          element("QueuedTransferStruct", textElement("CommandKey", t.commandKey) + numberElement("State", t.state)),
        ),
      ),
    ),
};
