import { PREFIX } from "./namespaces.ts";

// Characters XML 1.0 cannot carry at all (not even as references) become U+FFFD; '\r' is written as a
// reference so that a reader's line-end normalisation does not turn it into '\n'.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const NEEDS_ESCAPE = /[&<>"'\r\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const ESCAPABLE = /[&<>"'\r\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

const REPLACEMENTS: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
  "\r": "&#13;",
};

function replacement(ch: string): string {
  return REPLACEMENTS[ch] ?? "\ufffd";
}

/** Escapes text for element content or a quoted attribute value. */
export function escapeXml(text: string): string {
  return NEEDS_ESCAPE.test(text) ? text.replace(ESCAPABLE, replacement) : text;
}

/** `<name>content</name>`; content is already XML. */
export function element(name: string, content: string): string {
  return `<${name}>${content}</${name}>`;
}

/** `<name>escaped text</name>`. */
export function textElement(name: string, text: string): string {
  return `<${name}>${escapeXml(text)}</${name}>`;
}

export function numberElement(name: string, value: number): string {
  return `<${name}>${Number.isFinite(value) ? Math.trunc(value) : 0}</${name}>`;
}

/** xsd:boolean as 1/0, which every CPE stack accepts. */
export function booleanElement(name: string, value: boolean): string {
  return `<${name}>${value ? "1" : "0"}</${name}>`;
}

/**
 * A SOAP-encoded array (SOAP 1.1 section 5.4.2) whose declared size is the real number of items, e.g.
 * `<ParameterNames soap-enc:arrayType="xsd:string[3]">`.
 */
export function arrayElement(name: string, itemType: string, items: readonly string[]): string {
  return `<${name} ${PREFIX.enc}:arrayType="${itemType}[${items.length}]">${items.join("")}</${name}>`;
}

/** An RPC element in the cwmp namespace: `<cwmp:Name>...</cwmp:Name>`, or `<cwmp:Name/>` when empty. */
export function rpcElement(name: string, content = ""): string {
  const qname = `${PREFIX.cwmp}:${name}`;
  return content === "" ? `<${qname}/>` : `<${qname}>${content}</${qname}>`;
}
