import type { RpcCodec } from "../codec.ts";
import { parameterName } from "../structs.ts";
import { arrayItems, boolean, token } from "../xml/fields.ts";
import { arrayElement, booleanElement, element, rpcElement, textElement } from "../xml/writer.ts";

/** TR-069 A.3.2.3 GetParameterNames. An empty path means the whole tree. */

export interface GetParameterNames {
  readonly type: "GetParameterNames";
  readonly parameterPath: string;
  readonly nextLevel: boolean;
}

export interface ParameterInfoStruct {
  readonly name: string;
  readonly writable: boolean;
}

export interface GetParameterNamesResponse {
  readonly type: "GetParameterNamesResponse";
  readonly parameterList: readonly ParameterInfoStruct[];
}

export const getParameterNames: RpcCodec<GetParameterNames> = {
  type: "GetParameterNames",
  decode: (el) => ({
    type: "GetParameterNames",
    parameterPath: token(el, "ParameterPath", ""),
    nextLevel: boolean(el, "NextLevel", false),
  }),
  encode: (m) =>
    rpcElement(
      "GetParameterNames",
      textElement("ParameterPath", m.parameterPath) + booleanElement("NextLevel", m.nextLevel),
    ),
};

export const getParameterNamesResponse: RpcCodec<GetParameterNamesResponse> = {
  type: "GetParameterNamesResponse",
  decode: (el) => ({
    type: "GetParameterNamesResponse",
    parameterList: arrayItems(el, "ParameterList").map((p) => ({
      name: parameterName(token(p, "Name")),
      writable: boolean(p, "Writable", false),
    })),
  }),
  encode: (m) =>
    rpcElement(
      "GetParameterNamesResponse",
      arrayElement(
        "ParameterList",
        "cwmp:ParameterInfoStruct",
        m.parameterList.map((p) =>
          element("ParameterInfoStruct", textElement("Name", p.name) + booleanElement("Writable", p.writable)),
        ),
      ),
    ),
};
