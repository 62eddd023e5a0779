/**
 * Turns a request body into text.
 *
 * Order of trust: a byte order mark, then the XML declaration's encoding, then the Content-Type charset,
 * then UTF-8. The declaration is written by the serializer that produced the bytes, whereas embedded HTTP
 * stacks often hard-code the header (the Thomson engine always says ISO-8859-1). Bytes that are not valid
 * UTF-8 are read as ISO-8859-1, which maps every byte, so a wrong label never makes a message unreadable.
 */

const utf8 = new TextDecoder("utf-8", { fatal: true });

export function bytesToText(bytes: Uint8Array, contentType: string | undefined): string {
  const bom = bomCharset(bytes);
  const charset = bom ?? declaredEncoding(bytes) ?? (contentType ? charsetParameter(contentType) : undefined);
  const label = charset ? normaliseLabel(charset) : "utf-8";
  if (label === "iso-8859-1") return latin1(bytes);
  if (label !== "utf-8") {
    try {
      return new TextDecoder(label).decode(bytes);
    } catch {
      // Unknown label: fall through to UTF-8 with the ISO-8859-1 safety net.
    }
  }
  try {
    return utf8.decode(bytes);
  } catch {
    return latin1(bytes);
  }
}

function bomCharset(b: Uint8Array): string | undefined {
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return "utf-8";
  if (b[0] === 0xff && b[1] === 0xfe) return "utf-16le";
  if (b[0] === 0xfe && b[1] === 0xff) return "utf-16be";
  return undefined;
}

function normaliseLabel(charset: string): string {
  const label = charset.trim().toLowerCase();
  switch (label) {
    case "utf8":
    case "utf-8":
      return "utf-8";
    case "iso-8859-1":
    case "iso8859-1":
    case "iso_8859-1":
    case "latin1":
    case "latin-1":
    case "l1":
    case "us-ascii":
    case "ascii":
      return "iso-8859-1";
    default:
      return label;
  }
}

/** `text/xml; charset="utf-8"` -> `utf-8`. */
export function charsetParameter(contentType: string): string | undefined {
  for (const part of contentType.split(";")) {
    const p = part.trim();
    if (p.length > 8 && p.slice(0, 8).toLowerCase() === "charset=") {
      return stripQuotes(p.slice(8).trim());
    }
  }
  return undefined;
}

function stripQuotes(v: string): string {
  const first = v.charAt(0);
  if ((first === '"' || first === "'") && v.endsWith(first) && v.length >= 2) return v.slice(1, -1);
  return v;
}

/** Reads `encoding="..."` from an XML declaration in the first bytes (the declaration is ASCII). */
function declaredEncoding(b: Uint8Array): string | undefined {
  const head = latin1(b.subarray(0, Math.min(b.length, 256)));
  const start = head.indexOf("<?xml");
  if (start === -1 || head.slice(0, start).trim() !== "") return undefined;
  const end = head.indexOf("?>", start);
  if (end === -1) return undefined;
  const decl = head.slice(start + 5, end);
  const at = decl.indexOf("encoding");
  if (at === -1) return undefined;
  const rest = decl.slice(at + 8).trimStart();
  if (!rest.startsWith("=")) return undefined;
  const value = rest.slice(1).trimStart();
  const quote = value.charAt(0);
  if (quote !== '"' && quote !== "'") return undefined;
  const close = value.indexOf(quote, 1);
  return close === -1 ? undefined : value.slice(1, close);
}

function latin1(b: Uint8Array): string {
  let out = "";
  for (let k = 0; k < b.length; k += 8192) {
    out += String.fromCharCode(...b.subarray(k, k + 8192));
  }
  return out;
}
