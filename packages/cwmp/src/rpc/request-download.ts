import { emptyMessageCodec, type RpcCodec } from "../codec.ts";
import { arrayItems, text, token } from "../xml/fields.ts";
import { arrayElement, element, rpcElement, textElement } from "../xml/writer.ts";

/** TR-069 A.4.2.2 RequestDownload: the CPE asks the ACS to start a Download. */

export interface ArgStruct {
  readonly name: string;
  readonly value: string;
}

export interface RequestDownload {
  readonly type: "RequestDownload";
  readonly fileType: string;
  readonly fileTypeArg: readonly ArgStruct[];
}

export interface RequestDownloadResponse {
  readonly type: "RequestDownloadResponse";
}

export const requestDownload: RpcCodec<RequestDownload> = {
  type: "RequestDownload",
  decode: (el) => ({
    type: "RequestDownload",
    fileType: text(el, "FileType"),
    fileTypeArg: arrayItems(el, "FileTypeArg").map((a) => ({ name: token(a, "Name"), value: text(a, "Value", "") })),
  }),
  encode: (m) =>
    rpcElement(
      "RequestDownload",
      textElement("FileType", m.fileType) +
        arrayElement(
          "FileTypeArg",
          "cwmp:ArgStruct",
          m.fileTypeArg.map((a) => element("ArgStruct", textElement("Name", a.name) + textElement("Value", a.value))),
        ),
    ),
};

export const requestDownloadResponse = emptyMessageCodec("RequestDownloadResponse");
