import { boolean, child, InvalidRpc, integer, optionalText, prettyTrim, text, token } from "./xml/fields.ts";
import { isXsdNamespace, PREFIX, SOAP_ENC_NS } from "./xml/namespaces.ts";
import type { XmlElement } from "./xml/reader.ts";
import { booleanElement, element, escapeXml, numberElement, textElement } from "./xml/writer.ts";

/** CWMP structures used by more than one RPC (TR-069 Annex A.3). */

export interface ParameterValueStruct {
  readonly name: string;
  readonly value: string;
  /**
   * The xsi:type as "xsd:<type>" for XML Schema types (whatever prefix the CPE bound), the raw text for
   * anything else, undefined when the CPE sent none.
   */
  readonly type?: string;
}

export const XSD_TYPES = [
  "xsd:string",
  "xsd:int",
  "xsd:unsignedInt",
  "xsd:long",
  "xsd:unsignedLong",
  "xsd:boolean",
  "xsd:dateTime",
  "xsd:base64",
  "xsd:hexBinary",
] as const;
export type XsdType = (typeof XSD_TYPES)[number];

const XSD_BY_NAME: ReadonlyMap<string, XsdType> = new Map<string, XsdType>([
  ...XSD_TYPES.map((t): [string, XsdType] => [t.slice(4).toLowerCase(), t]),
  ["base64binary", "xsd:base64"],
  ["unsignedinteger", "xsd:unsignedInt"],
  ["integer", "xsd:int"],
  ["bool", "xsd:boolean"],
  // TR-106 named data types whose base type is not a string.
  ["statscounter32", "xsd:unsignedInt"],
  ["statscounter64", "xsd:unsignedLong"],
  ["dbm1000", "xsd:int"],
]);

/**
 * The xsi:type to send for a data-model type: "unsignedInt", "xsd:unsignedInt" and "StatsCounter32" all
 * give "xsd:unsignedInt"; string-based named types (IPAddress, MACAddress, ...) and unknown ones give
 * "xsd:string" (TR-106 section 3.2).
 */
export function xsdTypeOf(dataModelType: string | undefined): XsdType {
  if (!dataModelType) return "xsd:string";
  const bare = dataModelType.trim();
  const colon = bare.indexOf(":");
  return XSD_BY_NAME.get((colon === -1 ? bare : bare.slice(colon + 1)).toLowerCase()) ?? "xsd:string";
}

/**
 * Parameter names carry no whitespace (TR-106 section 3.1), so any is pretty-printing and goes. A leading
 * dot (Thomson's ".ExternalIPAddress") is dropped.
 */
export function parameterName(raw: string): string {
  let name = raw;
  for (let k = 0; k < name.length; k++) {
    const c = name.charCodeAt(k);
    if (c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d) {
      name = name.replace(/\s+/g, "");
      break;
    }
  }
  let start = 0;
  while (name.charCodeAt(start) === 0x2e) start++;
  return start === 0 ? name : name.slice(start);
}

function valueType(value: XmlElement): string | undefined {
  const t = value.xsiType;
  if (!t) return undefined;
  if (isXsdNamespace(t.ns) || t.ns === SOAP_ENC_NS || t.ns === "") return `xsd:${t.name}`;
  return t.raw;
}

export function readParameterValueStruct(el: XmlElement): ParameterValueStruct {
  const name = parameterName(token(el, "Name"));
  const valueElement = child(el, "Value");
  if (!valueElement) throw new InvalidRpc(`ParameterValueStruct ${name} has no <Value>`);
  const type = valueType(valueElement);
  const raw = valueElement.text;
  const value = type === undefined || type === "xsd:string" ? prettyTrim(raw) : raw.trim();
  return type === undefined ? { name, value } : { name, value, type };
}

/** `defaultType` is set for ACS requests (SetParameterValues), which always carry an xsi:type. */
export function writeParameterValueStruct(p: ParameterValueStruct, defaultType?: XsdType): string {
  const type = p.type ?? defaultType;
  const typeAttribute = type === undefined ? "" : ` ${PREFIX.xsi}:type="${escapeXml(type)}"`;
  return element(
    "ParameterValueStruct",
    `${textElement("Name", p.name)}<Value${typeAttribute}>${escapeXml(p.value)}</Value>`,
  );
}

/** Fault of a finished transfer; faultCode 0 means success (TR-069 A.3.3.1). */
export interface TransferCompleteFaultStruct {
  readonly faultCode: number;
  readonly faultString: string;
}

export function readTransferCompleteFault(parent: XmlElement): TransferCompleteFaultStruct {
  const fault = child(parent, "FaultStruct");
  if (!fault) return { faultCode: 0, faultString: "" };
  return { faultCode: integer(fault, "FaultCode", 0), faultString: text(fault, "FaultString", "") };
}

export function writeTransferCompleteFault(f: TransferCompleteFaultStruct): string {
  return element("FaultStruct", numberElement("FaultCode", f.faultCode) + textElement("FaultString", f.faultString));
}

/** Result of one deployment-unit operation (TR-069 A.4.2.8). */
export interface OpResultStruct {
  readonly uuid: string;
  readonly deploymentUnitRef: string;
  readonly version: string;
  /** "Installed", "Uninstalled" or "Failed". */
  readonly currentState: string;
  readonly resolved: boolean;
  readonly executionUnitRefList: string;
  readonly startTime: string;
  readonly completeTime: string;
  readonly fault: { readonly faultCode: number; readonly faultString?: string };
}

export function readOpResult(el: XmlElement): OpResultStruct {
  const faultElement = child(el, "Fault");
  const faultString = faultElement ? optionalText(faultElement, "FaultString") : undefined;
  const faultCode = faultElement ? integer(faultElement, "FaultCode", 0) : 0;
  return {
    uuid: token(el, "UUID", ""),
    deploymentUnitRef: token(el, "DeploymentUnitRef", ""),
    version: text(el, "Version", ""),
    currentState: token(el, "CurrentState", ""),
    resolved: boolean(el, "Resolved", false),
    executionUnitRefList: text(el, "ExecutionUnitRefList", ""),
    startTime: token(el, "StartTime", ""),
    completeTime: token(el, "CompleteTime", ""),
    fault: faultString === undefined ? { faultCode } : { faultCode, faultString },
  };
}

export function writeOpResultFields(r: OpResultStruct): string {
  const fault =
    numberElement("FaultCode", r.fault.faultCode) +
    (r.fault.faultString === undefined ? "" : textElement("FaultString", r.fault.faultString));
  return (
    textElement("UUID", r.uuid) +
    textElement("DeploymentUnitRef", r.deploymentUnitRef) +
    textElement("Version", r.version) +
    textElement("CurrentState", r.currentState) +
    booleanElement("Resolved", r.resolved) +
    textElement("ExecutionUnitRefList", r.executionUnitRefList) +
    textElement("StartTime", r.startTime) +
    textElement("CompleteTime", r.completeTime) +
    element("Fault", fault)
  );
}
