import { emptyMessageCodec, type RpcCodec } from "../codec.ts";
import { arrayItems } from "../xml/fields.ts";
import { arrayElement, rpcElement, textElement } from "../xml/writer.ts";

/** TR-069 A.3.1.1 GetRPCMethods: sent by either side; the answer lists the methods the other side supports. */

export interface GetRPCMethods {
  readonly type: "GetRPCMethods";
}

export interface GetRPCMethodsResponse {
  readonly type: "GetRPCMethodsResponse";
  readonly methodList: readonly string[];
}

export const getRpcMethods = emptyMessageCodec("GetRPCMethods");

export const getRpcMethodsResponse: RpcCodec<GetRPCMethodsResponse> = {
  type: "GetRPCMethodsResponse",
  decode: (el) => ({
    type: "GetRPCMethodsResponse",
    methodList: arrayItems(el, "MethodList").map((s) => s.text.trim()),
  }),
  encode: (m) =>
    rpcElement(
      "GetRPCMethodsResponse",
      arrayElement(
        "MethodList",
        "xsd:string",
        m.methodList.map((name) => textElement("string", name)),
      ),
    ),
};
