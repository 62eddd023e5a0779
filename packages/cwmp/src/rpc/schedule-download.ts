import { emptyMessageCodec, type RpcCodec } from "../codec.ts";
import { arrayItems, integer, text, token } from "../xml/fields.ts";
import { arrayElement, element, numberElement, rpcElement, textElement } from "../xml/writer.ts";

/** TR-069 A.4.1.8 ScheduleDownload: a Download within one or two time windows. */

export interface TimeWindowStruct {
  /** Seconds from the start of the session. */
  readonly windowStart: number;
  readonly windowEnd: number;
  /** "1 At Any Time", "2 Immediately", "3 When Idle", "4 Confirmation Needed". */
  readonly windowMode: string;
  readonly userMessage: string;
  /** -1: no limit. */
  readonly maxRetries: number;
}

export interface ScheduleDownload {
  readonly type: "ScheduleDownload";
  readonly commandKey: string;
  readonly fileType: string;
  readonly url: string;
  readonly username: string;
  readonly password: string;
  readonly fileSize: number;
  readonly targetFileName: string;
  readonly timeWindowList: readonly TimeWindowStruct[];
}

export interface ScheduleDownloadResponse {
  readonly type: "ScheduleDownloadResponse";
}

export const scheduleDownload: RpcCodec<ScheduleDownload> = {
  type: "ScheduleDownload",
  decode: (el) => ({
    type: "ScheduleDownload",
    commandKey: text(el, "CommandKey", ""),
    fileType: text(el, "FileType"),
    url: text(el, "URL"),
    username: text(el, "Username", ""),
    password: text(el, "Password", ""),
    fileSize: integer(el, "FileSize", 0),
    targetFileName: text(el, "TargetFileName", ""),
    timeWindowList: arrayItems(el, "TimeWindowList").map((w) => ({
      windowStart: integer(w, "WindowStart"),
      windowEnd: integer(w, "WindowEnd"),
      windowMode: token(w, "WindowMode"),
      userMessage: text(w, "UserMessage", ""),
      maxRetries: integer(w, "MaxRetries", -1),
    })),
  }),
  encode: (m) =>
    rpcElement(
      "ScheduleDownload",
      textElement("CommandKey", m.commandKey) +
        textElement("FileType", m.fileType) +
        textElement("URL", m.url) +
        textElement("Username", m.username) +
        textElement("Password", m.password) +
        numberElement("FileSize", m.fileSize) +
        textElement("TargetFileName", m.targetFileName) +
        arrayElement(
          "TimeWindowList",
          "cwmp:TimeWindowStruct",
          m.timeWindowList.map((w) =>
            element(
              "TimeWindowStruct",
              numberElement("WindowStart", w.windowStart) +
                numberElement("WindowEnd", w.windowEnd) +
                textElement("WindowMode", w.windowMode) +
                textElement("UserMessage", w.userMessage) +
                numberElement("MaxRetries", w.maxRetries),
            ),
          ),
        ),
    ),
};

export const scheduleDownloadResponse = emptyMessageCodec("ScheduleDownloadResponse");
