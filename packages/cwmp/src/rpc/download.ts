import type { RpcCodec } from "../codec.ts";
import { integer, status, text, token } from "../xml/fields.ts";
import { numberElement, rpcElement, textElement } from "../xml/writer.ts";

/**
 * TR-069 A.3.2.8 Download. FileType is e.g. "1 Firmware Upgrade Image", "3 Vendor Configuration File".
 * Status 1 in the response means the transfer continues after the session; a TransferComplete follows.
 */

export interface Download {
  readonly type: "Download";
  readonly commandKey: string;
  readonly fileType: string;
  readonly url: string;
  readonly username: string;
  readonly password: string;
  readonly fileSize: number;
  readonly targetFileName: string;
  readonly delaySeconds: number;
  readonly successUrl: string;
  readonly failureUrl: string;
}

export interface DownloadResponse {
  readonly type: "DownloadResponse";
  readonly status: 0 | 1;
  readonly startTime: string;
  readonly completeTime: string;
}

export const download: RpcCodec<Download> = {
  type: "Download",
  decode: (el) => ({
    type: "Download",
    commandKey: text(el, "CommandKey", ""),
    fileType: text(el, "FileType"),
    url: text(el, "URL"),
    username: text(el, "Username", ""),
    password: text(el, "Password", ""),
    fileSize: integer(el, "FileSize", 0),
    targetFileName: text(el, "TargetFileName", ""),
    delaySeconds: integer(el, "DelaySeconds", 0),
    successUrl: text(el, "SuccessURL", ""),
    failureUrl: text(el, "FailureURL", ""),
  }),
  encode: (m) =>
    rpcElement(
      "Download",
      textElement("CommandKey", m.commandKey) +
        textElement("FileType", m.fileType) +
        textElement("URL", m.url) +
        textElement("Username", m.username) +
        textElement("Password", m.password) +
        numberElement("FileSize", m.fileSize) +
        textElement("TargetFileName", m.targetFileName) +
        numberElement("DelaySeconds", m.delaySeconds) +
        textElement("SuccessURL", m.successUrl) +
        textElement("FailureURL", m.failureUrl),
    ),
};

export const downloadResponse: RpcCodec<DownloadResponse> = {
  type: "DownloadResponse",
  decode: (el) => ({
    type: "DownloadResponse",
    status: status(el),
    startTime: token(el, "StartTime", ""),
    completeTime: token(el, "CompleteTime", ""),
  }),
  encode: (m) =>
    rpcElement(
      "DownloadResponse",
      numberElement("Status", m.status) +
        textElement("StartTime", m.startTime) +
        textElement("CompleteTime", m.completeTime),
    ),
};
