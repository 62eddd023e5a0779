import { isXsiNamespace, XML_NS } from "./namespaces.ts";

/**
 * A small, non-validating XML reader for SOAP envelopes from untrusted CPEs.
 *
 * It refuses every markup declaration (DOCTYPE, ENTITY, ...) so no entity is ever expanded, knows only the
 * five predefined entities and numeric character references, bounds nesting depth, element count and
 * attributes per element, and does a single linear pass (no regular expression runs over the document).
 * Namespaces are resolved here so that callers match on namespace URI + local name, never on prefixes.
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

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const BANG = 0x21;
const QUESTION = 0x3f;
const EQUALS = 0x3d;
const DQUOTE = 0x22;
const SQUOTE = 0x27;
const AMP = 0x26;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;
}

function malformed(message: string): XmlReadError {
  return new XmlReadError("malformed-xml", message);
}

export function readXml(src: string, limits: XmlLimits): XmlReadResult {
  try {
    return { ok: true, root: readDocument(src, limits) };
  } catch (e) {
    if (e instanceof XmlReadError) return { ok: false, code: e.code, message: e.message };
    return { ok: false, code: "malformed-xml", message: e instanceof Error ? e.message : String(e) };
  }
}

function readDocument(s: string, limits: XmlLimits): XmlElement {
  const n = s.length;
  let i = s.charCodeAt(0) === 0xfeff ? 1 : 0;
  const stack: XmlElement[] = [];
  const qnames: string[] = [];
  // In-scope namespace bindings: a stack of URIs per prefix, so a lookup costs the same however many
  // declarations are in scope. `declared` lists prefixes in declaration order; marks[k] is its length
  // before stack[k] declared its own.
  const scope = new Map<string, string[]>([["xml", [XML_NS]]]);
  const declared: string[] = [];
  const marks: number[] = [];
  let root: XmlElement | undefined;
  let elementCount = 0;

  const lookup = (prefix: string): string | undefined => {
    const uris = scope.get(prefix);
    return uris?.[uris.length - 1];
  };
  const bind = (prefix: string, uri: string): void => {
    const uris = scope.get(prefix);
    if (uris) uris.push(uri);
    else scope.set(prefix, [uri]);
    declared.push(prefix);
  };
  const unbindTo = (mark: number): void => {
    while (declared.length > mark) {
      const prefix = declared.pop();
      if (prefix !== undefined) scope.get(prefix)?.pop();
    }
  };

  const resolveQName = (raw: string): QName => {
    const colon = raw.indexOf(":");
    const prefix = colon === -1 ? "" : raw.slice(0, colon);
    return { ns: lookup(prefix) ?? "", name: colon === -1 ? raw : raw.slice(colon + 1), raw };
  };

  const rawAttributes: { name: string; value: string }[] = [];

  while (i < n) {
    const lt = s.indexOf("<", i);
    const end = lt === -1 ? n : lt;
    if (end > i) {
      const top = stack[stack.length - 1];
      if (top) top.text += decodeText(s.slice(i, end));
      else if (!isBlank(s, i, end)) {
        throw malformed(root ? "text after the root element" : "text before the root element");
      }
    }
    if (lt === -1) break;
    const c = s.charCodeAt(lt + 1);

    if (c === SLASH) {
      let j = lt + 2;
      const nameStart = j;
      while (j < n) {
        const ch = s.charCodeAt(j);
        if (ch === GT || isSpace(ch)) break;
        j++;
      }
      const qname = s.slice(nameStart, j);
      if (qname.length === 0) throw malformed("'</' not followed by a name");
      while (j < n && isSpace(s.charCodeAt(j))) j++;
      if (s.charCodeAt(j) !== GT) throw malformed(`end tag </${qname.slice(0, 40)}> is not closed with '>'`);
      const expected = qnames[qnames.length - 1];
      if (expected === undefined) throw malformed(`end tag </${qname.slice(0, 40)}> without a start tag`);
      if (qname !== expected) {
        throw malformed(`expected </${expected.slice(0, 40)}> but found </${qname.slice(0, 40)}>`);
      }
      stack.pop();
      qnames.pop();
      unbindTo(marks.pop() ?? 0);
      i = j + 1;
      continue;
    }

    if (c === BANG) {
      if (s.startsWith("<!--", lt)) {
        const close = s.indexOf("-->", lt + 4);
        if (close === -1) throw malformed("unterminated comment");
        i = close + 3;
        continue;
      }
      if (s.startsWith("<![CDATA[", lt)) {
        const close = s.indexOf("]]>", lt + 9);
        if (close === -1) throw malformed("unterminated CDATA section");
        const top = stack[stack.length - 1];
        if (!top) throw malformed("CDATA outside the root element");
        top.text += normaliseLineEnds(s.slice(lt + 9, close));
        i = close + 3;
        continue;
      }
      // DOCTYPE, ENTITY, ELEMENT, ATTLIST, NOTATION: a SOAP message may not carry a DTD (SOAP 1.1 section 3),
      // and refusing them outright is what makes entity expansion attacks impossible.
      throw new XmlReadError("hostile", "markup declarations (DOCTYPE, ENTITY) are refused");
    }

    if (c === QUESTION) {
      const close = s.indexOf("?>", lt + 2);
      if (close === -1) throw malformed("unterminated processing instruction");
      i = close + 2;
      continue;
    }

    // Start tag.
    let j = lt + 1;
    const nameStart = j;
    while (j < n) {
      const ch = s.charCodeAt(j);
      if (ch === GT || ch === SLASH || isSpace(ch)) break;
      if (ch === LT || ch === EQUALS || ch === DQUOTE || ch === SQUOTE)
        throw malformed("invalid character in a tag name");
      j++;
    }
    if (j === nameStart) throw malformed("'<' not followed by a name");
    const qname = s.slice(nameStart, j);
    rawAttributes.length = 0;
    let selfClosing = false;
    for (;;) {
      while (j < n && isSpace(s.charCodeAt(j))) j++;
      if (j >= n) throw malformed(`unterminated start tag <${qname.slice(0, 40)}>`);
      const ch = s.charCodeAt(j);
      if (ch === GT) {
        j++;
        break;
      }
      if (ch === SLASH) {
        if (s.charCodeAt(j + 1) !== GT) throw malformed(`stray '/' in <${qname.slice(0, 40)}>`);
        j += 2;
        selfClosing = true;
        break;
      }
      const attrStart = j;
      while (j < n) {
        const a = s.charCodeAt(j);
        if (a === EQUALS || a === GT || a === SLASH || a === LT || isSpace(a)) break;
        j++;
      }
      if (j === attrStart) throw malformed(`invalid attribute in <${qname.slice(0, 40)}>`);
      const attrName = s.slice(attrStart, j);
      while (j < n && isSpace(s.charCodeAt(j))) j++;
      if (s.charCodeAt(j) !== EQUALS) throw malformed(`attribute ${attrName.slice(0, 40)} has no value`);
      j++;
      while (j < n && isSpace(s.charCodeAt(j))) j++;
      const quote = s.charCodeAt(j);
      if (quote !== DQUOTE && quote !== SQUOTE) throw malformed(`attribute ${attrName.slice(0, 40)} is not quoted`);
      const close = s.indexOf(quote === DQUOTE ? '"' : "'", j + 1);
      if (close === -1) throw malformed(`attribute ${attrName.slice(0, 40)} is not terminated`);
      const raw = s.slice(j + 1, close);
      if (raw.indexOf("<") !== -1) throw malformed(`'<' in the value of attribute ${attrName.slice(0, 40)}`);
      if (rawAttributes.length >= limits.maxAttributes) {
        throw new XmlReadError("hostile", `more than ${limits.maxAttributes} attributes on one element`);
      }
      rawAttributes.push({ name: attrName, value: decodeText(raw) });
      j = close + 1;
    }

    const mark = declared.length;
    for (const { name, value } of rawAttributes) {
      if (name === "xmlns") bind("", value.trim());
      else if (name.startsWith("xmlns:")) bind(name.slice(6), value.trim());
    }

    const colon = qname.indexOf(":");
    const prefix = colon === -1 ? "" : qname.slice(0, colon);
    const attributes: XmlAttribute[] = [];
    let xsiType: QName | undefined;
    for (const { name, value } of rawAttributes) {
      if (name === "xmlns" || name.startsWith("xmlns:")) continue;
      const ac = name.indexOf(":");
      const attrPrefix = ac === -1 ? "" : name.slice(0, ac);
      const local = ac === -1 ? name : name.slice(ac + 1);
      const ns = ac === -1 ? "" : (lookup(attrPrefix) ?? "");
      attributes.push({ ns, name: local, prefix: attrPrefix, value });
      // An unbound prefix on "type" is taken as xsi: devices that forget xmlns:xsi still mean xsi:type.
      if (local === "type" && attrPrefix !== "" && (ns === "" || isXsiNamespace(ns))) {
        xsiType = resolveQName(value.trim());
      }
    }

    const element: XmlElement = {
      ns: lookup(prefix) ?? "",
      name: colon === -1 ? qname : qname.slice(colon + 1),
      attributes,
      children: [],
      text: "",
      xsiType,
    };
    if (++elementCount > limits.maxElements) {
      throw new XmlReadError("too-large", `more than ${limits.maxElements} elements`);
    }
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(element);
    else if (root) throw malformed("more than one root element");
    else root = element;

    if (selfClosing) {
      unbindTo(mark);
    } else {
      if (stack.length >= limits.maxDepth) {
        throw new XmlReadError("hostile", `elements nested deeper than ${limits.maxDepth} levels`);
      }
      stack.push(element);
      qnames.push(qname);
      marks.push(mark);
    }
    i = j;
  }

  const open = qnames[qnames.length - 1];
  if (open !== undefined) throw malformed(`element <${open.slice(0, 40)}> is not closed`);
  if (!root) throw malformed("no root element");
  return root;
}

/** Whitespace, plus NUL bytes that C stacks sometimes append to the body. */
function isBlank(s: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) {
    const c = s.charCodeAt(k);
    if (!isSpace(c) && c !== 0) return false;
  }
  return true;
}

function normaliseLineEnds(raw: string): string {
  return raw.indexOf("\r") === -1 ? raw : raw.replace(/\r\n?/g, "\n");
}

const PREDEFINED: Readonly<Record<string, string>> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };
/** Longest reference we look for: "&#x10FFFF;" and "&#1114111;" fit. */
const MAX_REFERENCE = 10;

/**
 * Decodes the five predefined entities and numeric character references (XML 1.0 section 4.1). Anything
 * else after '&' (a bare ampersand, as in "AT&T" from a sloppy CPE, or an undeclared entity) stays literal
 * text: nothing is ever expanded.
 */
function decodeText(raw: string): string {
  const text = normaliseLineEnds(raw);
  let amp = text.indexOf("&");
  if (amp === -1) return text;
  let out = "";
  let last = 0;
  while (amp !== -1) {
    let semi = -1;
    const limit = Math.min(text.length, amp + 2 + MAX_REFERENCE);
    for (let k = amp + 1; k < limit; k++) {
      const c = text.charCodeAt(k);
      if (c === 0x3b) {
        semi = k;
        break;
      }
      if (c === AMP || c === LT || isSpace(c)) break;
    }
    const replacement = semi === -1 ? undefined : resolveReference(text.slice(amp + 1, semi));
    if (replacement === undefined) {
      amp = text.indexOf("&", amp + 1);
      continue;
    }
    out += text.slice(last, amp) + replacement;
    last = semi + 1;
    amp = text.indexOf("&", last);
  }
  return out + text.slice(last);
}

function resolveReference(ref: string): string | undefined {
  if (ref.charCodeAt(0) !== 0x23) return PREDEFINED[ref];
  const hex = ref.charCodeAt(1) === 0x78;
  const digits = ref.slice(hex ? 2 : 1);
  if (digits.length === 0) return undefined;
  for (let k = 0; k < digits.length; k++) {
    const c = digits.charCodeAt(k);
    const lower = c | 0x20;
    const ok = (c >= 0x30 && c <= 0x39) || (hex && lower >= 0x61 && lower <= 0x66);
    if (!ok) return undefined;
  }
  const code = Number.parseInt(digits, hex ? 16 : 10);
  const allowed =
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff);
  return allowed ? String.fromCodePoint(code) : undefined;
}
