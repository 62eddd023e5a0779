/**
 * What runs over a CPE's text before any XML parser sees it: one linear pass over the markup that refuses every
 * markup declaration (DOCTYPE, ENTITY, ...), so that no entity can ever be declared, let alone expanded, and
 * counts start tags against the element limit. It also drops what real CPEs put around the root element and the
 * well-formedness check would refuse: NUL bytes after it, whitespace before the XML declaration.
 */

export type GuardResult =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly code: "malformed-xml" | "hostile" | "too-large"; readonly message: string };

const SLASH = 0x2f;
const BANG = 0x21;
const QUESTION = 0x3f;

export function guardXml(src: string, maxElements: number): GuardResult {
  let start = src.charCodeAt(0) === 0xfeff ? 1 : 0;
  let end = src.length;
  // Whitespace and the NUL bytes C stacks sometimes append are not content outside the root element.
  while (start < end && isBlank(src.charCodeAt(start))) start++;
  while (end > start && isBlank(src.charCodeAt(end - 1))) end--;

  let elements = 0;
  let at = start;
  for (;;) {
    const lt = src.indexOf("<", at);
    if (lt === -1 || lt >= end) break;

    const c = src.charCodeAt(lt + 1);
    if (c === BANG) {
      if (src.startsWith("<!--", lt)) {
        const close = src.indexOf("-->", lt + 4);
        if (close === -1 || close + 3 > end) return malformed("unterminated comment");
        at = close + 3;
        continue;
      }
      if (src.startsWith("<![CDATA[", lt)) {
        const close = src.indexOf("]]>", lt + 9);
        if (close === -1 || close + 3 > end) return malformed("unterminated CDATA section");
        at = close + 3;
        continue;
      }
      // DOCTYPE, ENTITY, ELEMENT, ATTLIST, NOTATION: a SOAP message may not carry a DTD (SOAP 1.1 section 3),
      // and refusing them outright is what makes entity expansion attacks impossible.
      return { ok: false, code: "hostile", message: "markup declarations (DOCTYPE, ENTITY) are refused" };
    }
    if (c === QUESTION) {
      const close = src.indexOf("?>", lt + 2);
      if (close === -1 || close + 2 > end) return malformed("unterminated processing instruction");
      at = close + 2;
      continue;
    }
    if (c !== SLASH && ++elements > maxElements) {
      return { ok: false, code: "too-large", message: `more than ${maxElements} elements` };
    }
    at = lt + 1;
  }
  return { ok: true, text: start === 0 && end === src.length ? src : src.slice(start, end) };
}

function isBlank(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d || c === 0;
}

function malformed(message: string): GuardResult {
  return { ok: false, code: "malformed-xml", message };
}
