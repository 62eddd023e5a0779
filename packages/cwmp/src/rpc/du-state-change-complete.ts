import { emptyMessageCodec, type RpcCodec } from "../codec.ts";
import { type OpResultStruct, readOpResult, writeOpResultFields } from "../structs.ts";
import { children, text } from "../xml/fields.ts";
import { element, rpcElement, textElement } from "../xml/writer.ts";

/** TR-069 A.4.2.6 DUStateChangeComplete: results of a ChangeDUState the ACS asked for. */

export interface DUStateChangeComplete {
  readonly type: "DUStateChangeComplete";
  readonly results: readonly OpResultStruct[];
  readonly commandKey: string;
}

export interface DUStateChangeCompleteResponse {
  readonly type: "DUStateChangeCompleteResponse";
}

export const duStateChangeComplete: RpcCodec<DUStateChangeComplete> = {
  type: "DUStateChangeComplete",
  decode: (el) => ({
    type: "DUStateChangeComplete",
    results: children(el, "Results").map(readOpResult),
    commandKey: text(el, "CommandKey", ""),
  }),
  encode: (m) =>
    rpcElement(
      "DUStateChangeComplete",
      m.results.map((r) => element("Results", writeOpResultFields(r))).join("") +
        textElement("CommandKey", m.commandKey),
    ),
};

export const duStateChangeCompleteResponse = emptyMessageCodec("DUStateChangeCompleteResponse");
