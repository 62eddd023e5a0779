import type { RpcCodec } from "../codec.ts";
import { text } from "../xml/fields.ts";
import { rpcElement, textElement } from "../xml/writer.ts";

/** TR-069 A.4.2.1 Kicked: a web page on the CPE was "kicked" towards the ACS. */

export interface Kicked {
  readonly type: "Kicked";
  readonly command: string;
  readonly referer: string;
  readonly arg: string;
  readonly next: string;
}

export interface KickedResponse {
  readonly type: "KickedResponse";
  readonly nextUrl: string;
}

export const kicked: RpcCodec<Kicked> = {
  type: "Kicked",
  decode: (el) => ({
    type: "Kicked",
    command: text(el, "Command", ""),
    referer: text(el, "Referer", ""),
    arg: text(el, "Arg", ""),
    next: text(el, "Next", ""),
  }),
  encode: (m) =>
    rpcElement(
      "Kicked",
      textElement("Command", m.command) +
        textElement("Referer", m.referer) +
        textElement("Arg", m.arg) +
        textElement("Next", m.next),
    ),
};

export const kickedResponse: RpcCodec<KickedResponse> = {
  type: "KickedResponse",
  decode: (el) => ({ type: "KickedResponse", nextUrl: text(el, "NextURL", "") }),
  encode: (m) => rpcElement("KickedResponse", textElement("NextURL", m.nextUrl)),
};
