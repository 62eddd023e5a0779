import { emptyMessageCodec, type RpcCodec } from "../codec.ts";
import { type OpResultStruct, readOpResult, writeOpResultFields } from "../structs.ts";
import { children, token } from "../xml/fields.ts";
import { element, rpcElement, textElement } from "../xml/writer.ts";

/** TR-069 A.4.2.7 AutonomousDUStateChangeComplete: deployment-unit changes the ACS did not ask for. */

export interface AutonOpResultStruct extends OpResultStruct {
  /** "Install", "Update" or "Uninstall". */
  readonly operationPerformed: string;
}

export interface AutonomousDUStateChangeComplete {
  readonly type: "AutonomousDUStateChangeComplete";
  readonly results: readonly AutonOpResultStruct[];
}

export interface AutonomousDUStateChangeCompleteResponse {
  readonly type: "AutonomousDUStateChangeCompleteResponse";
}

export const autonomousDuStateChangeComplete: RpcCodec<AutonomousDUStateChangeComplete> = {
  type: "AutonomousDUStateChangeComplete",
  decode: (el) => ({
    type: "AutonomousDUStateChangeComplete",
    results: children(el, "Results").map((r) => ({
      ...readOpResult(r),
      operationPerformed: token(r, "OperationPerformed", ""),
    })),
  }),
  encode: (m) =>
    rpcElement(
      "AutonomousDUStateChangeComplete",
      m.results
        .map((r) =>
          element("Results", writeOpResultFields(r) + textElement("OperationPerformed", r.operationPerformed)),
        )
        .join(""),
    ),
};

export const autonomousDuStateChangeCompleteResponse = emptyMessageCodec("AutonomousDUStateChangeCompleteResponse");
