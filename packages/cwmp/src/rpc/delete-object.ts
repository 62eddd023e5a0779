import type { RpcCodec } from "../codec.ts";
import { status, text, token } from "../xml/fields.ts";
import { numberElement, rpcElement, textElement } from "../xml/writer.ts";

/** TR-069 A.3.2.7 DeleteObject. ObjectName is an instance path ending in ".", e.g. "...PortMapping.3.". */

export interface DeleteObject {
  readonly type: "DeleteObject";
  readonly objectName: string;
  readonly parameterKey: string;
}

export interface DeleteObjectResponse {
  readonly type: "DeleteObjectResponse";
  readonly status: 0 | 1;
}

export const deleteObject: RpcCodec<DeleteObject> = {
  type: "DeleteObject",
  decode: (el) => ({
    type: "DeleteObject",
    objectName: token(el, "ObjectName"),
    parameterKey: text(el, "ParameterKey", ""),
  }),
  encode: (m) =>
    rpcElement("DeleteObject", textElement("ObjectName", m.objectName) + textElement("ParameterKey", m.parameterKey)),
};

export const deleteObjectResponse: RpcCodec<DeleteObjectResponse> = {
  type: "DeleteObjectResponse",
  decode: (el) => ({ type: "DeleteObjectResponse", status: status(el) }),
  encode: (m) => rpcElement("DeleteObjectResponse", numberElement("Status", m.status)),
};
