import { emptyMessageCodec, type RpcCodec } from "../codec.ts";
import { text } from "../xml/fields.ts";
import { rpcElement, textElement } from "../xml/writer.ts";

/** TR-069 A.3.2.9 Reboot. The CPE reports "M Reboot" with this CommandKey after it comes back. */

export interface Reboot {
  readonly type: "Reboot";
  readonly commandKey: string;
}

export interface RebootResponse {
  readonly type: "RebootResponse";
}

export const reboot: RpcCodec<Reboot> = {
  type: "Reboot",
  decode: (el) => ({ type: "Reboot", commandKey: text(el, "CommandKey", "") }),
  encode: (m) => rpcElement("Reboot", textElement("CommandKey", m.commandKey)),
};

export const rebootResponse = emptyMessageCodec("RebootResponse");
