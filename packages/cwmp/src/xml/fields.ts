import type { XmlElement } from "./reader.ts";

/**
 * Reading typed fields out of an RPC element. Children are matched by local name in any namespace: the
 * CWMP schemas make them unqualified, but CPEs qualify them as often as not.
 *
 * Decoders throw InvalidRpc; the envelope turns it into a DecodeError, so it never leaves the package.
 */
export class InvalidRpc extends Error {}

export function child(parent: XmlElement, name: string): XmlElement | undefined {
  for (const c of parent.children) if (c.name === name) return c;
  return undefined;
}

export function children(parent: XmlElement, name: string): XmlElement[] {
  return parent.children.filter((c) => c.name === name);
}

export function requiredChild(parent: XmlElement, name: string): XmlElement {
  const c = child(parent, name);
  if (!c) throw new InvalidRpc(`<${parent.name}> has no <${name}>`);
  return c;
}

/**
 * Items of a SOAP-encoded array element. The declared arrayType size is ignored (CPEs zero-pad it, or get it
 * wrong); every element child is an item, whatever it is called. A missing array is an empty one.
 */
export function arrayItems(parent: XmlElement, name: string): XmlElement[] {
  return child(parent, name)?.children ?? [];
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;
}

/**
 * Free text (values, command keys, URLs, fault strings): leading or trailing whitespace that contains a line
 * break is pretty-printing and goes; spaces on the same line as the text may be meaningful (an SSID
 * " home ") and stay.
 */
export function prettyTrim(text: string): string {
  let start = 0;
  let end = text.length;
  let k = 0;
  while (k < end && isSpace(text.charCodeAt(k))) k++;
  if (k > 0 && text.slice(0, k).includes("\n")) start = k;
  k = end;
  while (k > start && isSpace(text.charCodeAt(k - 1))) k--;
  if (k < end && text.slice(k, end).includes("\n")) end = k;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

/** Free text of a child; `fallback` when absent, InvalidRpc when absent without fallback. */
export function text(parent: XmlElement, name: string, fallback?: string): string {
  const c = child(parent, name);
  if (c) return prettyTrim(c.text);
  if (fallback === undefined) throw new InvalidRpc(`<${parent.name}> has no <${name}>`);
  return fallback;
}

export function optionalText(parent: XmlElement, name: string): string | undefined {
  const c = child(parent, name);
  return c ? prettyTrim(c.text) : undefined;
}

/** A token (names, codes, enumerations): all surrounding whitespace goes. */
export function token(parent: XmlElement, name: string, fallback?: string): string {
  const c = child(parent, name);
  if (c) return c.text.trim();
  if (fallback === undefined) throw new InvalidRpc(`<${parent.name}> has no <${name}>`);
  return fallback;
}

/** xsd:int / xsd:unsignedInt, tolerating zero padding ("00") and surrounding whitespace. */
export function integer(parent: XmlElement, name: string, fallback?: number): number {
  const c = child(parent, name);
  if (!c) {
    if (fallback === undefined) throw new InvalidRpc(`<${parent.name}> has no <${name}>`);
    return fallback;
  }
  const value = parseInteger(c.text);
  if (value === undefined) throw new InvalidRpc(`<${name}> is not an integer: "${c.text.trim().slice(0, 40)}"`);
  return value;
}

export function parseInteger(raw: string): number | undefined {
  const t = raw.trim();
  if (t.length === 0 || t.length > 20) return undefined;
  let k = t.charCodeAt(0) === 0x2d || t.charCodeAt(0) === 0x2b ? 1 : 0;
  if (k === t.length) return undefined;
  for (; k < t.length; k++) {
    const c = t.charCodeAt(k);
    if (c < 0x30 || c > 0x39) return undefined;
  }
  return Number(t);
}

/** xsd:boolean: true/false/1/0, any case. */
export function boolean(parent: XmlElement, name: string, fallback?: boolean): boolean {
  const c = child(parent, name);
  if (!c) {
    if (fallback === undefined) throw new InvalidRpc(`<${parent.name}> has no <${name}>`);
    return fallback;
  }
  const t = c.text.trim().toLowerCase();
  if (t === "1" || t === "true") return true;
  if (t === "0" || t === "false") return false;
  throw new InvalidRpc(`<${name}> is not a boolean: "${t.slice(0, 40)}"`);
}

/** The Status of a response: 0 done, 1 done but only effective after a reboot or commit. */
export function status(parent: XmlElement): 0 | 1 {
  const n = integer(parent, "Status");
  if (n === 0 || n === 1) return n;
  throw new InvalidRpc(`<Status> must be 0 or 1, not ${n}`);
}
