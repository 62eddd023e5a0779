import { emptyMessageCodec, type RpcCodec } from "../codec.ts";
import { readTransferCompleteFault, type TransferCompleteFaultStruct, writeTransferCompleteFault } from "../structs.ts";
import { text, token } from "../xml/fields.ts";
import { rpcElement, textElement } from "../xml/writer.ts";

/** TR-069 A.3.3.2 TransferComplete: the end of a Download or Upload the ACS asked for. */

export interface TransferComplete {
  readonly type: "TransferComplete";
  readonly commandKey: string;
  readonly faultStruct: TransferCompleteFaultStruct;
  readonly startTime: string;
  readonly completeTime: string;
}

export interface TransferCompleteResponse {
  readonly type: "TransferCompleteResponse";
}

export const transferComplete: RpcCodec<TransferComplete> = {
  type: "TransferComplete",
  decode: (el) => ({
    type: "TransferComplete",
    commandKey: text(el, "CommandKey", ""),
    faultStruct: readTransferCompleteFault(el),
    startTime: token(el, "StartTime", ""),
    completeTime: token(el, "CompleteTime", ""),
  }),
  encode: (m) =>
    rpcElement(
      "TransferComplete",
      textElement("CommandKey", m.commandKey) +
        writeTransferCompleteFault(m.faultStruct) +
        textElement("StartTime", m.startTime) +
        textElement("CompleteTime", m.completeTime),
    ),
};

export const transferCompleteResponse = emptyMessageCodec("TransferCompleteResponse");
