export const SOAP_ENV_NS = "http://schemas.xmlsoap.org/soap/envelope/";
export const SOAP12_ENV_NS = "http://www.w3.org/2003/05/soap-envelope";
export const SOAP_ENC_NS = "http://schemas.xmlsoap.org/soap/encoding/";
export const XSD_NS = "http://www.w3.org/2001/XMLSchema";
export const XSI_NS = "http://www.w3.org/2001/XMLSchema-instance";
export const XML_NS = "http://www.w3.org/XML/1998/namespace";

/** Older drafts of XML Schema still show up in embedded SOAP stacks. */
const XSD_NAMESPACES = new Set([XSD_NS, "http://www.w3.org/1999/XMLSchema", "http://www.w3.org/2000/10/XMLSchema"]);
const XSI_NAMESPACES = new Set([
  XSI_NS,
  "http://www.w3.org/1999/XMLSchema-instance",
  "http://www.w3.org/2000/10/XMLSchema-instance",
]);

export function isSoapEnvelopeNamespace(ns: string): boolean {
  return ns === SOAP_ENV_NS || ns === SOAP12_ENV_NS;
}

export function isXsdNamespace(ns: string): boolean {
  return XSD_NAMESPACES.has(ns);
}

export function isXsiNamespace(ns: string): boolean {
  return XSI_NAMESPACES.has(ns);
}

/** Prefixes Beacon writes; all are declared on the Envelope. */
export const PREFIX = {
  env: "soap-env",
  enc: "soap-enc",
  xsd: "xsd",
  xsi: "xsi",
  cwmp: "cwmp",
} as const;
