import type { RpcCodec } from "../codec.ts";
import { integer, status, text, token } from "../xml/fields.ts";
import { numberElement, rpcElement, textElement } from "../xml/writer.ts";

/** TR-069 A.4.1.5 Upload. FileType is e.g. "1 Vendor Configuration File", "2 Vendor Log File". */

export interface Upload {
  readonly type: "Upload";
  readonly commandKey: string;
  readonly fileType: string;
  readonly url: string;
  readonly username: string;
  readonly password: string;
  readonly delaySeconds: number;
}

export interface UploadResponse {
  readonly type: "UploadResponse";
  readonly status: 0 | 1;
  readonly startTime: string;
  readonly completeTime: string;
}

export const upload: RpcCodec<Upload> = {
  type: "Upload",
  decode: (el) => ({
    type: "Upload",
    commandKey: text(el, "CommandKey", ""),
    fileType: text(el, "FileType"),
    url: text(el, "URL"),
    username: text(el, "Username", ""),
    password: text(el, "Password", ""),
    delaySeconds: integer(el, "DelaySeconds", 0),
  }),
  encode: (m) =>
    rpcElement(
      "Upload",
      textElement("CommandKey", m.commandKey) +
        textElement("FileType", m.fileType) +
        textElement("URL", m.url) +
        textElement("Username", m.username) +
        textElement("Password", m.password) +
        numberElement("DelaySeconds", m.delaySeconds),
    ),
};

export const uploadResponse: RpcCodec<UploadResponse> = {
  type: "UploadResponse",
  decode: (el) => ({
    type: "UploadResponse",
    status: status(el),
    startTime: token(el, "StartTime", ""),
    completeTime: token(el, "CompleteTime", ""),
  }),
  encode: (m) =>
    rpcElement(
      "UploadResponse",
      numberElement("Status", m.status) +
        textElement("StartTime", m.startTime) +
        textElement("CompleteTime", m.completeTime),
    ),
};
