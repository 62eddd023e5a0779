import { emptyMessageCodec, type RpcCodec } from "../codec.ts";
import { text } from "../xml/fields.ts";
import { rpcElement, textElement } from "../xml/writer.ts";

/** TR-069 A.4.1.9 CancelTransfer: cancels a queued Download/Upload/ScheduleDownload by CommandKey. */

export interface CancelTransfer {
  readonly type: "CancelTransfer";
  readonly commandKey: string;
}

export interface CancelTransferResponse {
  readonly type: "CancelTransferResponse";
}

export const cancelTransfer: RpcCodec<CancelTransfer> = {
  type: "CancelTransfer",
  decode: (el) => ({ type: "CancelTransfer", commandKey: text(el, "CommandKey", "") }),
  encode: (m) => rpcElement("CancelTransfer", textElement("CommandKey", m.commandKey)),
};

export const cancelTransferResponse = emptyMessageCodec("CancelTransferResponse");
