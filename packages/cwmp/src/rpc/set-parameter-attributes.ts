import { emptyMessageCodec, type RpcCodec } from "../codec.ts";
import { arrayItems, boolean, integer, token } from "../xml/fields.ts";
import { arrayElement, booleanElement, element, numberElement, rpcElement, textElement } from "../xml/writer.ts";

/** TR-069 A.3.2.4 SetParameterAttributes. */

export interface SetParameterAttributesStruct {
  readonly name: string;
  readonly notificationChange: boolean;
  readonly notification: number;
  readonly accessListChange: boolean;
  readonly accessList: readonly string[];
}

export interface SetParameterAttributes {
  readonly type: "SetParameterAttributes";
  readonly parameterList: readonly SetParameterAttributesStruct[];
}

export interface SetParameterAttributesResponse {
  readonly type: "SetParameterAttributesResponse";
}

export const setParameterAttributes: RpcCodec<SetParameterAttributes> = {
  type: "SetParameterAttributes",
  decode: (el) => ({
    type: "SetParameterAttributes",
    parameterList: arrayItems(el, "ParameterList").map((p) => ({
      name: token(p, "Name"),
      notificationChange: boolean(p, "NotificationChange", false),
      notification: integer(p, "Notification", 0),
      accessListChange: boolean(p, "AccessListChange", false),
      accessList: arrayItems(p, "AccessList").map((s) => s.text.trim()),
    })),
  }),
  encode: (m) =>
    rpcElement(
      "SetParameterAttributes",
      arrayElement(
        "ParameterList",
        "cwmp:SetParameterAttributesStruct",
        m.parameterList.map((p) =>
          element(
            "SetParameterAttributesStruct",
            textElement("Name", p.name) +
              booleanElement("NotificationChange", p.notificationChange) +
              numberElement("Notification", p.notification) +
              booleanElement("AccessListChange", p.accessListChange) +
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

export const setParameterAttributesResponse = emptyMessageCodec("SetParameterAttributesResponse");
