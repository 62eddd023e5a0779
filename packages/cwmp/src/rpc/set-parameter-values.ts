import type { RpcCodec } from "../codec.ts";
import {
  type ParameterValueStruct,
  readParameterValueStruct,
  writeParameterValueStruct,
  xsdTypeOf,
} from "../structs.ts";
import { arrayItems, status, text } from "../xml/fields.ts";
import { arrayElement, numberElement, rpcElement, textElement } from "../xml/writer.ts";

/**
 * TR-069 A.3.2.1 SetParameterValues. Each value is sent with the xsi:type its `type` names: a data-model
 * type ("unsignedInt", "StatsCounter32") or an XML Schema one ("xsd:unsignedInt"); none means xsd:string.
 */

export interface SetParameterValues {
  readonly type: "SetParameterValues";
  readonly parameterList: readonly ParameterValueStruct[];
  readonly parameterKey: string;
}

export interface SetParameterValuesResponse {
  readonly type: "SetParameterValuesResponse";
  /** 0: applied; 1: applied, takes effect after a reboot or commit. */
  readonly status: 0 | 1;
}

export const setParameterValues: RpcCodec<SetParameterValues> = {
  type: "SetParameterValues",
  decode: (el) => ({
    type: "SetParameterValues",
    parameterList: arrayItems(el, "ParameterList").map(readParameterValueStruct),
    parameterKey: text(el, "ParameterKey", ""),
  }),
  encode: (m) =>
    rpcElement(
      "SetParameterValues",
      arrayElement(
        "ParameterList",
        "cwmp:ParameterValueStruct",
        m.parameterList.map((p) => writeParameterValueStruct({ ...p, type: xsdTypeOf(p.type) })),
      ) + textElement("ParameterKey", m.parameterKey),
    ),
};

export const setParameterValuesResponse: RpcCodec<SetParameterValuesResponse> = {
  type: "SetParameterValuesResponse",
  decode: (el) => ({ type: "SetParameterValuesResponse", status: status(el) }),
  encode: (m) => rpcElement("SetParameterValuesResponse", numberElement("Status", m.status)),
};
