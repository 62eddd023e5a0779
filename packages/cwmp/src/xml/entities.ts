/**
 * Character data as the XML reader hands it over: only the five predefined entities and numeric character
 * references are decoded (XML 1.0 section 4.1). Anything else after '&' (a bare ampersand, as in "AT&T" from a
 * sloppy CPE, or an undeclared entity) stays literal text: nothing is ever expanded.
 */

const PREDEFINED: Readonly<Record<string, string>> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };
/** Longest reference we look for: "&#x10FFFF;" and "&#1114111;" fit. */
const MAX_REFERENCE = 10;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;
}

function normaliseLineEnds(raw: string): string {
  return raw.indexOf("\r") === -1 ? raw : raw.replace(/\r\n?/g, "\n");
}

export function decodeText(raw: string): string {
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
      if (c === 0x26 || c === 0x3c || isSpace(c)) break;
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
