import type { RpcCodec } from "../codec.ts";
import { integer, status, text, token } from "../xml/fields.ts";
import { numberElement, rpcElement, textElement } from "../xml/writer.ts";

/** TR-069 A.3.2.6 AddObject. ObjectName is a partial path ending in ".", e.g. "Device.NAT.PortMapping.". */

export interface AddObject {
  readonly type: "AddObject";
  readonly objectName: string;
  readonly parameterKey: string;
}

export interface AddObjectResponse {
  readonly type: "AddObjectResponse";
  readonly instanceNumber: number;
  readonly status: 0 | 1;
}

export const addObject: RpcCodec<AddObject> = {
  type: "AddObject",
  decode: (el) => ({
    type: "AddObject",
    objectName: token(el, "ObjectName"),
    parameterKey: text(el, "ParameterKey", ""),
  }),
  encode: (m) =>
    rpcElement("AddObject", textElement("ObjectName", m.objectName) + textElement("ParameterKey", m.parameterKey)),
};

export const addObjectResponse: RpcCodec<AddObjectResponse> = {
  type: "AddObjectResponse",
  decode: (el) => ({ type: "AddObjectResponse", instanceNumber: integer(el, "InstanceNumber"), status: status(el) }),
  encode: (m) =>
    rpcElement(
      "AddObjectResponse",
      numberElement("InstanceNumber", m.instanceNumber) + numberElement("Status", m.status),
    ),
};
