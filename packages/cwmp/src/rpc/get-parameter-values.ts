import type { RpcCodec } from "../codec.ts";
import { type ParameterValueStruct, readParameterValueStruct, writeParameterValueStruct } from "../structs.ts";
import { arrayItems } from "../xml/fields.ts";
import { arrayElement, rpcElement, textElement } from "../xml/writer.ts";

/** TR-069 A.3.2.2 GetParameterValues. Names ending in "." ask for a whole subtree. */

export interface GetParameterValues {
  readonly type: "GetParameterValues";
  readonly parameterNames: readonly string[];
}

export interface GetParameterValuesResponse {
  readonly type: "GetParameterValuesResponse";
  readonly parameterList: readonly ParameterValueStruct[];
}

export const getParameterValues: RpcCodec<GetParameterValues> = {
  type: "GetParameterValues",
  decode: (el) => ({
    type: "GetParameterValues",
    parameterNames: arrayItems(el, "ParameterNames").map((s) => s.text.trim()),
  }),
  encode: (m) =>
    rpcElement(
      "GetParameterValues",
      arrayElement(
        "ParameterNames",
        "xsd:string",
        m.parameterNames.map((name) => textElement("string", name)),
      ),
    ),
};

export const getParameterValuesResponse: RpcCodec<GetParameterValuesResponse> = {
  type: "GetParameterValuesResponse",
  decode: (el) => ({
    type: "GetParameterValuesResponse",
    parameterList: arrayItems(el, "ParameterList").map(readParameterValueStruct),
  }),
  encode: (m) =>
    rpcElement(
      "GetParameterValuesResponse",
      arrayElement(
        "ParameterList",
        "cwmp:ParameterValueStruct",
        m.parameterList.map((p) => writeParameterValueStruct(p)),
      ),
    ),
};
