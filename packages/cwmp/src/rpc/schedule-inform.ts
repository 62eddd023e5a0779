import { emptyMessageCodec, type RpcCodec } from "../codec.ts";
import { integer, text } from "../xml/fields.ts";
import { numberElement, rpcElement, textElement } from "../xml/writer.ts";

/** TR-069 A.4.1.1 ScheduleInform: "open a session in DelaySeconds", reported as "3 SCHEDULED". */

export interface ScheduleInform {
  readonly type: "ScheduleInform";
  readonly delaySeconds: number;
  readonly commandKey: string;
}

export interface ScheduleInformResponse {
  readonly type: "ScheduleInformResponse";
}

export const scheduleInform: RpcCodec<ScheduleInform> = {
  type: "ScheduleInform",
  decode: (el) => ({
    type: "ScheduleInform",
    delaySeconds: integer(el, "DelaySeconds"),
    commandKey: text(el, "CommandKey", ""),
  }),
  encode: (m) =>
    rpcElement(
      "ScheduleInform",
      numberElement("DelaySeconds", m.delaySeconds) + textElement("CommandKey", m.commandKey),
    ),
};

export const scheduleInformResponse = emptyMessageCodec("ScheduleInformResponse");
