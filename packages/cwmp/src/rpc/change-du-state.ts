import { emptyMessageCodec, type RpcCodec } from "../codec.ts";
import { children, InvalidRpc, optionalText, text, token } from "../xml/fields.ts";
import type { XmlElement } from "../xml/reader.ts";
import { rpcElement, textElement } from "../xml/writer.ts";

/**
 * TR-069 A.4.1.10 ChangeDUState: install, update or uninstall deployment units (software modules).
 * Each Operations element names its kind with xsi:type="cwmp:InstallOpStruct" (the XSD's abstract
 * OperationStruct); an operation wrapped in an <InstallOpStruct> child element is read too.
 */

export interface InstallOpStruct {
  readonly operation: "Install";
  readonly url: string;
  readonly uuid?: string;
  readonly username?: string;
  readonly password?: string;
  readonly executionEnvRef?: string;
}

export interface UpdateOpStruct {
  readonly operation: "Update";
  readonly uuid?: string;
  readonly version?: string;
  readonly url?: string;
  readonly username?: string;
  readonly password?: string;
}

export interface UninstallOpStruct {
  readonly operation: "Uninstall";
  readonly uuid: string;
  readonly version?: string;
  readonly executionEnvRef?: string;
}

export type OperationStruct = InstallOpStruct | UpdateOpStruct | UninstallOpStruct;

export interface ChangeDUState {
  readonly type: "ChangeDUState";
  readonly operations: readonly OperationStruct[];
  readonly commandKey: string;
}

export interface ChangeDUStateResponse {
  readonly type: "ChangeDUStateResponse";
}

type Operation = OperationStruct["operation"];
const OPERATION_BY_STRUCT: ReadonlyMap<string, Operation> = new Map<string, Operation>([
  ["InstallOpStruct", "Install"],
  ["UpdateOpStruct", "Update"],
  ["UninstallOpStruct", "Uninstall"],
]);

/** Field order per operation, as the XSD sequences them. */
const FIELDS: Readonly<Record<Operation, readonly (readonly [string, string])[]>> = {
  Install: [
    ["URL", "url"],
    ["UUID", "uuid"],
    ["Username", "username"],
    ["Password", "password"],
    ["ExecutionEnvRef", "executionEnvRef"],
  ],
  Update: [
    ["UUID", "uuid"],
    ["Version", "version"],
    ["URL", "url"],
    ["Username", "username"],
    ["Password", "password"],
  ],
  Uninstall: [
    ["UUID", "uuid"],
    ["Version", "version"],
    ["ExecutionEnvRef", "executionEnvRef"],
  ],
};

function readOperation(el: XmlElement): OperationStruct {
  let source = el;
  let operation = el.xsiType ? OPERATION_BY_STRUCT.get(el.xsiType.name) : undefined;
  if (!operation) {
    const wrapped = el.children.find((c) => OPERATION_BY_STRUCT.has(c.name));
    if (!wrapped) throw new InvalidRpc("<Operations> does not say whether it installs, updates or uninstalls");
    source = wrapped;
    operation = OPERATION_BY_STRUCT.get(wrapped.name);
  }
  switch (operation) {
    case "Install":
      return { operation, url: text(source, "URL"), ...optionalFields(source, FIELDS.Install.slice(1)) };
    case "Uninstall":
      return { operation, uuid: token(source, "UUID"), ...optionalFields(source, FIELDS.Uninstall.slice(1)) };
    default:
      return { operation: "Update", ...optionalFields(source, FIELDS.Update) };
  }
}

function optionalFields(el: XmlElement, fields: readonly (readonly [string, string])[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [element, key] of fields) {
    const value = optionalText(el, element);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

function writeOperation(op: OperationStruct): string {
  const values: Readonly<Record<string, string | undefined>> = { ...op };
  let content = "";
  for (const [element, key] of FIELDS[op.operation]) {
    const value = values[key];
    if (value !== undefined) content += textElement(element, value);
  }
  return `<Operations xsi:type="cwmp:${op.operation}OpStruct">${content}</Operations>`;
}

export const changeDuState: RpcCodec<ChangeDUState> = {
  type: "ChangeDUState",
  decode: (el) => ({
    type: "ChangeDUState",
    operations: children(el, "Operations").map(readOperation),
    commandKey: text(el, "CommandKey", ""),
  }),
  encode: (m) =>
    rpcElement("ChangeDUState", m.operations.map(writeOperation).join("") + textElement("CommandKey", m.commandKey)),
};

export const changeDuStateResponse = emptyMessageCodec("ChangeDUStateResponse");
