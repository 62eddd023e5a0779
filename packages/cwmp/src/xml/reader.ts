import { XMLParser, XMLValidator } from "fast-xml-parser";
import { decodeText } from "./entities.ts";
import { guardXml } from "./guard.ts";
import { isXsiNamespace, XML_NS } from "./namespaces.ts";

/**
 * SOAP envelopes from untrusted CPEs, read with fast-xml-parser in three steps:
 *
 * 1. `guardXml` refuses every markup declaration before any parser runs (so no entity is ever declared or
 *    expanded), counts start tags against the element limit and prepares the quirks real CPEs send.
 * 2. fast-xml-parser checks well-formedness (`XMLValidator`) and builds the tree (`XMLParser`, document order
 *    kept, nesting bounded, entity processing off, values left as text).
 * 3. This file turns that tree into `XmlElement`s: it resolves namespace prefixes, so that callers match on
 *    namespace URI + local name and never on prefixes, bounds depth and attributes per element, and decodes the
 *    five predefined entities and character references itself (`decodeText`).
 */

export interface QName {
  /** Namespace URI the prefix resolved to ("" when unprefixed without default namespace, or unbound). */
  readonly ns: string;
  readonly name: string;
  /** The text as written, e.g. "xsd:string". */
  readonly raw: string;
}

export interface XmlAttribute {
  readonly ns: string;
  readonly name: string;
  readonly prefix: string;
  readonly value: string;
}

export interface XmlElement {
  /** Namespace URI; "" for no namespace or an unbound prefix (tolerated: some CPEs forget a declaration). */
  readonly ns: string;
  /** Local name. */
  readonly name: string;
  readonly attributes: readonly XmlAttribute[];
  readonly children: XmlElement[];
  /** Character data directly inside this element, entities decoded, line ends normalised. */
  text: string;
  /** The resolved xsi:type attribute, if any. */
  readonly xsiType: QName | undefined;
}

export interface XmlLimits {
  readonly maxDepth: number;
  readonly maxElements: number;
  readonly maxAttributes: number;
}

export type XmlErrorCode = "malformed-xml" | "hostile" | "too-large";

export type XmlReadResult =
  | { readonly ok: true; readonly root: XmlElement }
  | { readonly ok: false; readonly code: XmlErrorCode; readonly message: string };

class XmlReadError extends Error {
  constructor(
    readonly code: XmlErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** fast-xml-parser's tree with `preserveOrder`: each node is `{ [qname]: children, ":@"?: attributes }`. */
type ParsedNode = Record<string, unknown>;

const TEXT = "#text";
const CDATA = "#cdata";
const ATTRIBUTES = ":@";

function parserFor(maxDepth: number): XMLParser {
  return new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: "",
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
    processEntities: false,
    htmlEntities: false,
    cdataPropName: CDATA,
    ignoreDeclaration: true,
    ignorePiTags: true,
    maxNestedTags: maxDepth,
    jPath: false,
  });
}

const DEFAULT_DEPTH = 64;
const defaultParser = parserFor(DEFAULT_DEPTH);

export function readXml(src: string, limits: XmlLimits): XmlReadResult {
  const guarded = guardXml(src, limits.maxElements);
  if (!guarded.ok) return guarded;
  try {
    const parser = limits.maxDepth === DEFAULT_DEPTH ? defaultParser : parserFor(limits.maxDepth);
    const nodes = parser.parse(guarded.text) as ParsedNode[];
    checkWellFormed(guarded.text);
    const roots = nodes.filter((node) => firstKey(node) !== TEXT);
    if (roots.length !== 1 || !roots[0]) throw new XmlReadError("malformed-xml", "no root element");
    return { ok: true, root: new NamespaceResolver(limits).element(roots[0], 1) };
  } catch (e) {
    if (e instanceof XmlReadError) return { ok: false, code: e.code, message: e.message };
    const message = e instanceof Error ? e.message : String(e);
    // fast-xml-parser's own limits: nesting (maxNestedTags) and names that would pollute prototypes.
    if (/nested tags/i.test(message)) {
      return { ok: false, code: "hostile", message: `elements nested deeper than ${limits.maxDepth} levels` };
    }
    if (message.includes("[SECURITY]")) return { ok: false, code: "hostile", message };
    // A stack overflow can only come from nesting the limits did not stop.
    if (e instanceof RangeError) return { ok: false, code: "hostile", message: "elements nested too deeply" };
    return { ok: false, code: "malformed-xml", message };
  }
}

/**
 * fast-xml-parser's parser builds a tree from anything; its validator is what refuses unclosed, mismatched or
 * stray tags, several roots, text outside the root and unquoted or repeated attributes. It would also refuse a
 * bare "&" ("AT&T" from a sloppy CPE), which we keep as literal text: then the check runs again on a copy with
 * every "&" written "_" (same length, so its line and column still hold).
 */
function checkWellFormed(text: string): void {
  let valid = XMLValidator.validate(text);
  if (valid !== true && valid.err.msg.includes("'&'")) valid = XMLValidator.validate(text.split("&").join("_"));
  if (valid !== true) {
    const { msg, line, col } = valid.err;
    throw new XmlReadError("malformed-xml", `${msg} (line ${line}, column ${col})`);
  }
}

/**
 * Resolves prefixes while it walks the tree. In-scope bindings are a stack of URIs per prefix, so a lookup costs
 * the same however many declarations are in scope.
 */
class NamespaceResolver {
  private readonly scope = new Map<string, string[]>([["xml", [XML_NS]]]);
  private readonly declared: string[] = [];

  constructor(private readonly limits: XmlLimits) {}

  element(node: ParsedNode, depth: number): XmlElement {
    if (depth > this.limits.maxDepth) {
      throw new XmlReadError("hostile", `elements nested deeper than ${this.limits.maxDepth} levels`);
    }
    const qname = qnameOf(node);
    const raw = (node[ATTRIBUTES] ?? {}) as Record<string, unknown>;
    const names = Object.keys(raw);
    if (names.length > this.limits.maxAttributes) {
      throw new XmlReadError("hostile", `more than ${this.limits.maxAttributes} attributes on one element`);
    }
    const mark = this.declared.length;
    for (const name of names) {
      if (name === "xmlns") this.bind("", String(raw[name]).trim());
      else if (name.startsWith("xmlns:")) this.bind(name.slice(6), String(raw[name]).trim());
    }

    const attributes: XmlAttribute[] = [];
    let xsiType: QName | undefined;
    for (const name of names) {
      if (name === "xmlns" || name.startsWith("xmlns:")) continue;
      const rawValue = String(raw[name]);
      if (rawValue.includes("<")) throw new XmlReadError("malformed-xml", `'<' in the value of attribute ${name}`);
      const value = decodeText(rawValue);
      const colon = name.indexOf(":");
      const prefix = colon === -1 ? "" : name.slice(0, colon);
      const local = colon === -1 ? name : name.slice(colon + 1);
      const ns = colon === -1 ? "" : (this.lookup(prefix) ?? "");
      attributes.push({ ns, name: local, prefix, value });
      // An unbound prefix on "type" is taken as xsi: devices that forget xmlns:xsi still mean xsi:type.
      if (local === "type" && prefix !== "" && (ns === "" || isXsiNamespace(ns))) xsiType = this.qname(value.trim());
    }

    const { ns, name } = this.qname(qname);
    const element: XmlElement = { ns, name, attributes, children: [], text: "", xsiType };
    for (const child of (node[qname] ?? []) as ParsedNode[]) {
      const key = firstKey(child);
      if (key === TEXT) element.text += decodeText(String(child[TEXT]));
      else if (key === CDATA) element.text += cdataOf(child);
      else element.children.push(this.element(child, depth + 1));
    }
    this.unbindTo(mark);
    return element;
  }

  private qname(raw: string): QName {
    const colon = raw.indexOf(":");
    const prefix = colon === -1 ? "" : raw.slice(0, colon);
    return { ns: this.lookup(prefix) ?? "", name: colon === -1 ? raw : raw.slice(colon + 1), raw };
  }

  private lookup(prefix: string): string | undefined {
    const uris = this.scope.get(prefix);
    return uris?.[uris.length - 1];
  }

  private bind(prefix: string, uri: string): void {
    const uris = this.scope.get(prefix);
    if (uris) uris.push(uri);
    else this.scope.set(prefix, [uri]);
    this.declared.push(prefix);
  }

  private unbindTo(mark: number): void {
    while (this.declared.length > mark) {
      const prefix = this.declared.pop();
      if (prefix !== undefined) this.scope.get(prefix)?.pop();
    }
  }
}

/** A node's name (or "#text", "#cdata") is its first key: fast-xml-parser writes ":@" after it. */
function firstKey(node: ParsedNode): string | undefined {
  for (const key in node) return key;
  return undefined;
}

function qnameOf(node: ParsedNode): string {
  const key = firstKey(node);
  if (key === undefined || key === ATTRIBUTES) throw new XmlReadError("malformed-xml", "an element without a name");
  return key;
}

/** CDATA is kept as written: `{ "#cdata": [{ "#text": "..." }] }`, no entity decoded. */
function cdataOf(node: ParsedNode): string {
  const parts = node[CDATA] as ParsedNode[];
  return parts.map((part) => String(part[TEXT] ?? "")).join("");
}
