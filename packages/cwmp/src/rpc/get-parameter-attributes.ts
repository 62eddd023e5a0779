import type { RpcCodec } from "../codec.ts";
import { parameterName } from "../structs.ts";
import { arrayItems, integer, token } from "../xml/fields.ts";
import { arrayElement, element, numberElement, rpcElement, textElement } from "../xml/writer.ts";

/** TR-069 A.3.2.5 GetParameterAttributes. */

export interface GetParameterAttributes {
  readonly type: "GetParameterAttributes";
  readonly parameterNames: readonly string[];
}

export interface ParameterAttributeStruct {
  readonly name: string;
  /** 0 off, 1 passive, 2 active; 3-6 lightweight variants (CWMP 1.4). */
  readonly notification: number;
  /** Entities besides the ACS that may write the parameter; "Subscriber" is the only one defined. */
  readonly accessList: readonly string[];
}

export interface GetParameterAttributesResponse {
  readonly type: "GetParameterAttributesResponse";
  readonly parameterList: readonly ParameterAttributeStruct[];
}

export const getParameterAttributes: RpcCodec<GetParameterAttributes> = {
  type: "GetParameterAttributes",
  decode: (el) => ({
    type: "GetParameterAttributes",
    parameterNames: arrayItems(el, "ParameterNames").map((s) => s.text.trim()),
  }),
  encode: (m) =>
    rpcElement(
      "GetParameterAttributes",
      arrayElement(
        "ParameterNames",
        "xsd:string",
        m.parameterNames.map((name) => textElement("string", name)),
      ),
    ),
};

export const getParameterAttributesResponse: RpcCodec<GetParameterAttributesResponse> = {
  type: "GetParameterAttributesResponse",
  decode: (el) => ({
    type: "GetParameterAttributesResponse",
    parameterList: arrayItems(el, "ParameterList").map((p) => ({
      name: parameterName(token(p, "Name")),
      notification: integer(p, "Notification", 0),
      accessList: arrayItems(p, "AccessList").map((s) => s.text.trim()),
    })),
  }),
  encode: (m) =>
    rpcElement(
      "GetParameterAttributesResponse",
      arrayElement(
        "ParameterList",
        "cwmp:ParameterAttributeStruct",
        m.parameterList.map((p) =>
          element(
            "ParameterAttributeStruct",
            textElement("Name", p.name) +
              numberElement("Notification", p.notification) +
              arrayElement(
                "AccessList",
                "xsd:string",
                p.accessList.map((a) => textElement("string", a)),
              ),
          ),
        ),
      ),
    ),
};
