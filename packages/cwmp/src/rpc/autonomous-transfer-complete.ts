import { emptyMessageCodec, type RpcCodec } from "../codec.ts";
import { readTransferCompleteFault, type TransferCompleteFaultStruct, writeTransferCompleteFault } from "../structs.ts";
import { boolean, integer, text, token } from "../xml/fields.ts";
import { booleanElement, numberElement, rpcElement, textElement } from "../xml/writer.ts";

/** TR-069 A.3.3.3 AutonomousTransferComplete: a transfer the ACS did not ask for. */

export interface AutonomousTransferComplete {
  readonly type: "AutonomousTransferComplete";
  readonly announceUrl: string;
  readonly transferUrl: string;
  readonly isDownload: boolean;
  readonly fileType: string;
  readonly fileSize: number;
  readonly targetFileName: string;
  readonly faultStruct: TransferCompleteFaultStruct;
  readonly startTime: string;
  readonly completeTime: string;
}

export interface AutonomousTransferCompleteResponse {
  readonly type: "AutonomousTransferCompleteResponse";
}

export const autonomousTransferComplete: RpcCodec<AutonomousTransferComplete> = {
  type: "AutonomousTransferComplete",
  decode: (el) => ({
    type: "AutonomousTransferComplete",
    announceUrl: text(el, "AnnounceURL", ""),
    transferUrl: text(el, "TransferURL", ""),
    isDownload: boolean(el, "IsDownload"),
    fileType: text(el, "FileType", ""),
    fileSize: integer(el, "FileSize", 0),
    targetFileName: text(el, "TargetFileName", ""),
    faultStruct: readTransferCompleteFault(el),
    startTime: token(el, "StartTime", ""),
    completeTime: token(el, "CompleteTime", ""),
  }),
  encode: (m) =>
    rpcElement(
      "AutonomousTransferComplete",
      textElement("AnnounceURL", m.announceUrl) +
        textElement("TransferURL", m.transferUrl) +
        booleanElement("IsDownload", m.isDownload) +
        textElement("FileType", m.fileType) +
        numberElement("FileSize", m.fileSize) +
        textElement("TargetFileName", m.targetFileName) +
        writeTransferCompleteFault(m.faultStruct) +
        textElement("StartTime", m.startTime) +
        textElement("CompleteTime", m.completeTime),
    ),
};

export const autonomousTransferCompleteResponse = emptyMessageCodec("AutonomousTransferCompleteResponse");
