import type { RpcCodec } from "./codec.ts";
import { type AcsMessage, acsCodecs, type CpeMessage, cpeCodecs, type Empty } from "./messages.ts";
import { cwmpFaultOf, type Fault, fault } from "./rpc/fault.ts";
import { cwmpVersionOf, DEFAULT_CWMP_NAMESPACE, isCwmpNamespace } from "./versions.ts";
import { bytesToText } from "./xml/charset.ts";
import { InvalidRpc, parseInteger } from "./xml/fields.ts";
import { isSoapEnvelopeNamespace, PREFIX, SOAP_ENC_NS, SOAP_ENV_NS, XSD_NS, XSI_NS } from "./xml/namespaces.ts";
import { readXml, type XmlElement } from "./xml/reader.ts";
import { element, escapeXml } from "./xml/writer.ts";

/** SOAP header elements CWMP defines (TR-069 A.2.2). */
export interface EnvelopeHeader {
  /** cwmp:ID: the ACS echoes the CPE's ID in its response, and the CPE the ACS's. */
  readonly id?: string;
  readonly holdRequests?: boolean;
  /** CWMP 1.3: seconds the CPE keeps the session open while waiting. */
  readonly sessionTimeout?: number;
  /** CWMP 1.4: comma-separated list, e.g. "1.0,1.1,1.2,1.3,1.4". */
  readonly supportedCwmpVersions?: string;
  /** CWMP 1.4: the version the ACS chose. */
  readonly useCwmpVersion?: string;
  /** CWMP 1.0 only (deprecated). */
  readonly noMoreRequests?: boolean;
}

export interface Envelope<M> {
  /** The cwmp namespace exactly as the sender used it; "" for an empty body. */
  readonly namespace: string;
  /** The version that namespace names, e.g. "1.0"; "" for an empty body. */
  readonly version: string;
  readonly header: EnvelopeHeader;
  readonly message: M;
}

export type CpeEnvelope = Envelope<CpeMessage>;
export type AcsEnvelope = Envelope<AcsMessage>;

export type DecodeErrorCode = "malformed-xml" | "not-soap" | "unknown-rpc" | "hostile" | "too-large" | "invalid-rpc";

export interface DecodeError {
  readonly code: DecodeErrorCode;
  readonly message: string;
  /** For unknown-rpc and invalid-rpc: the element name, so the caller can answer with a fault. */
  readonly rpc?: string;
  /** For unknown-rpc and invalid-rpc: what a fault answer should echo. */
  readonly namespace?: string;
  readonly id?: string;
}

export type DecodeResult<M = CpeMessage> =
  | { readonly ok: true; readonly envelope: Envelope<M> }
  | { readonly ok: false; readonly error: DecodeError };

export interface DecodeOptions {
  /** Largest body accepted, in bytes (characters for a string body). Default 16 MiB. */
  readonly maxBytes?: number;
  /** Deepest element nesting accepted. Default 64; CWMP needs about 8. */
  readonly maxDepth?: number;
  /** Most elements accepted. Default 200,000 (a 50,000-parameter GetParameterNamesResponse). */
  readonly maxElements?: number;
}

export type HttpHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

export interface EncodeOptions extends EnvelopeHeader {
  /** The cwmp namespace to write, normally the one the CPE used in its Inform. */
  readonly namespace: string;
}

const DEFAULTS = { maxBytes: 16 * 1024 * 1024, maxDepth: 64, maxElements: 200_000, maxAttributes: 256 } as const;

/** Decodes what a CPE sent to the ACS. Never throws. */
export function decode(
  body: string | Uint8Array,
  headers?: HttpHeaders,
  options?: DecodeOptions,
): DecodeResult<CpeMessage> {
  return decodeEnvelope(body, headers, options, cpeCodecs, "a CPE");
}

/** Decodes what the ACS sent to a CPE (for the CPE simulator). Never throws. */
export function decodeAcs(
  body: string | Uint8Array,
  headers?: HttpHeaders,
  options?: DecodeOptions,
): DecodeResult<AcsMessage> {
  return decodeEnvelope(body, headers, options, acsCodecs, "the ACS");
}

function decodeEnvelope<M extends { readonly type: string }>(
  body: string | Uint8Array,
  headers: HttpHeaders | undefined,
  options: DecodeOptions | undefined,
  codecs: ReadonlyMap<string, RpcCodec<M>>,
  sender: string,
): DecodeResult<M | Empty | Fault> {
  // What is known so far, for an error that lets the caller answer with a fault.
  const known: { rpc?: string; namespace?: string; id?: string } = {};
  try {
    const maxBytes = options?.maxBytes ?? DEFAULTS.maxBytes;
    const size = typeof body === "string" ? body.length : body.byteLength;
    if (size > maxBytes) return failure("too-large", `body of ${size} bytes exceeds the limit of ${maxBytes}`);

    const text = typeof body === "string" ? body : bytesToText(body, headerValue(headers, "content-type"));
    if (isBlank(text)) {
      return { ok: true, envelope: { namespace: "", version: "", header: {}, message: { type: "Empty" } } };
    }
    const read = readXml(text, {
      maxDepth: options?.maxDepth ?? DEFAULTS.maxDepth,
      maxElements: options?.maxElements ?? DEFAULTS.maxElements,
      maxAttributes: DEFAULTS.maxAttributes,
    });
    if (!read.ok) return failure(read.code, read.message);
    const root = read.root;
    // An unbound envelope prefix ("" namespace) is tolerated; an Envelope in some other namespace is not SOAP.
    if (root.name !== "Envelope" || !(isSoapEnvelopeNamespace(root.ns) || root.ns === "")) {
      const where = root.ns ? ` in ${root.ns}` : "";
      return failure("not-soap", `root element is <${root.name}>${where}, not a SOAP Envelope`);
    }
    const soapChild = (name: string) => root.children.find((c) => c.name === name && c.ns === root.ns);
    const headerElement = soapChild("Header");
    const bodyElement = soapChild("Body");
    if (!bodyElement) return failure("not-soap", "SOAP Envelope without a Body");

    const header = headerElement ? readHeader(headerElement) : {};
    if (header.id !== undefined) known.id = header.id;
    const headerNamespace = headerElement?.children.find((c) => isCwmpNamespace(c.ns))?.ns;
    const rpc = bodyElement.children[0];
    if (!rpc) return { ok: true, envelope: envelopeOf(firstCwmp(headerNamespace), header, { type: "Empty" }) };
    known.rpc = rpc.name;

    // A cwmp:Fault put straight into Body, without the SOAP Fault around it, is read as well.
    if (rpc.name === "Fault" && (isSoapEnvelopeNamespace(rpc.ns) || isCwmpNamespace(rpc.ns) || rpc.ns === "")) {
      known.namespace = firstCwmp(cwmpFaultOf(rpc)?.ns, headerNamespace);
      return { ok: true, envelope: envelopeOf(known.namespace, header, fault.decode(rpc)) };
    }

    known.namespace = firstCwmp(rpc.ns, headerNamespace);
    const foreign = rpc.ns !== "" && !isCwmpNamespace(rpc.ns);
    const codec = foreign ? undefined : codecs.get(rpc.name);
    if (!codec) {
      const where = foreign ? ` in namespace ${rpc.ns}` : "";
      return failure("unknown-rpc", `${rpc.name}${where} is not a message ${sender} sends`, known);
    }
    return { ok: true, envelope: envelopeOf(known.namespace, header, codec.decode(rpc)) };
  } catch (e) {
    // InvalidRpc is the expected case; anything else would be a bug, but decode still must not throw.
    const reason = e instanceof InvalidRpc ? e.message : `cannot decode: ${e instanceof Error ? e.message : e}`;
    return failure("invalid-rpc", known.rpc ? `${known.rpc}: ${reason}` : reason, known);
  }
}

function envelopeOf<M>(namespace: string, header: EnvelopeHeader, message: M): Envelope<M> {
  return { namespace, version: cwmpVersionOf(namespace) ?? "", header, message };
}

/** The first cwmp namespace among the candidates; CWMP 1.0's when the message names none. */
function firstCwmp(...candidates: (string | undefined)[]): string {
  for (const ns of candidates) if (ns !== undefined && isCwmpNamespace(ns)) return ns;
  return DEFAULT_CWMP_NAMESPACE;
}

function failure(
  code: DecodeErrorCode,
  message: string,
  known: Pick<DecodeError, "rpc" | "namespace" | "id"> = {},
): { ok: false; error: DecodeError } {
  return { ok: false, error: { code, message, ...known } };
}

function headerValue(headers: HttpHeaders | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  for (const key of Object.keys(headers)) {
    if (key.toLowerCase() !== name) continue;
    const value = headers[key];
    return typeof value === "string" ? value : value?.[0];
  }
  return undefined;
}

function isBlank(text: string): boolean {
  for (let k = 0; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09 && c !== 0 && c !== 0xfeff) return false;
  }
  return true;
}

/** Unreadable header values are ignored rather than failing the message they travel with. */
function readHeader(headerElement: XmlElement): EnvelopeHeader {
  const header: {
    id?: string;
    holdRequests?: boolean;
    sessionTimeout?: number;
    supportedCwmpVersions?: string;
    useCwmpVersion?: string;
    noMoreRequests?: boolean;
  } = {};
  for (const h of headerElement.children) {
    if (h.ns !== "" && !isCwmpNamespace(h.ns)) continue;
    const value = h.text.trim();
    switch (h.name) {
      case "ID":
        header.id = value;
        break;
      case "HoldRequests":
        setBoolean(value, (b) => {
          header.holdRequests = b;
        });
        break;
      case "NoMoreRequests":
        setBoolean(value, (b) => {
          header.noMoreRequests = b;
        });
        break;
      case "SessionTimeout": {
        const n = parseInteger(value);
        if (n !== undefined) header.sessionTimeout = n;
        break;
      }
      case "SupportedCWMPVersions":
        header.supportedCwmpVersions = value;
        break;
      case "UseCWMPVersion":
        header.useCwmpVersion = value;
        break;
    }
  }
  return header;
}

function setBoolean(value: string, set: (b: boolean) => void): void {
  const v = value.toLowerCase();
  if (v === "1" || v === "true") set(true);
  else if (v === "0" || v === "false") set(false);
}

const ENVELOPE_OPEN =
  `<${PREFIX.env}:Envelope xmlns:${PREFIX.env}="${SOAP_ENV_NS}" xmlns:${PREFIX.enc}="${SOAP_ENC_NS}"` +
  ` xmlns:${PREFIX.xsd}="${XSD_NS}" xmlns:${PREFIX.xsi}="${XSI_NS}" xmlns:${PREFIX.cwmp}=`;

/** XML for a message from the ACS; "" for Empty (answer with an empty body, HTTP 204). */
export function encode(message: AcsMessage, options: EncodeOptions): string {
  if (message.type === "Empty") return "";
  return envelopeXml(options, message.type === "Fault" ? fault.encode(message) : encodeBody(message, acsCodecs));
}

/** XML for a message from a CPE (for the CPE simulator); "" for Empty. */
export function encodeCpe(message: CpeMessage, options: EncodeOptions): string {
  if (message.type === "Empty") return "";
  return envelopeXml(options, message.type === "Fault" ? fault.encode(message) : encodeBody(message, cpeCodecs));
}

function encodeBody<M extends { readonly type: string }>(message: M, codecs: ReadonlyMap<string, RpcCodec<M>>): string {
  const codec = codecs.get(message.type);
  if (!codec) throw new TypeError(`${message.type} is not a message this side sends`);
  return codec.encode(message);
}

function envelopeXml(options: EncodeOptions, body: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n${ENVELOPE_OPEN}"${escapeXml(options.namespace || DEFAULT_CWMP_NAMESPACE)}">` +
    writeHeader(options) +
    element(`${PREFIX.env}:Body`, body) +
    `</${PREFIX.env}:Envelope>`
  );
}

function headerElement(name: string, mustUnderstand: "0" | "1", value: string): string {
  const qname = `${PREFIX.cwmp}:${name}`;
  return `<${qname} ${PREFIX.env}:mustUnderstand="${mustUnderstand}">${escapeXml(value)}</${qname}>`;
}

/** mustUnderstand values as TR-069 A.2.2 (and cwmp-1-3/1-4.xsd) fix them. */
function writeHeader(h: EnvelopeHeader): string {
  let content = "";
  if (h.id !== undefined) content += headerElement("ID", "1", h.id);
  if (h.holdRequests !== undefined) content += headerElement("HoldRequests", "1", h.holdRequests ? "1" : "0");
  if (h.noMoreRequests !== undefined) content += headerElement("NoMoreRequests", "0", h.noMoreRequests ? "1" : "0");
  if (h.sessionTimeout !== undefined) content += headerElement("SessionTimeout", "0", String(h.sessionTimeout));
  if (h.supportedCwmpVersions !== undefined) {
    content += headerElement("SupportedCWMPVersions", "0", h.supportedCwmpVersions);
  }
  if (h.useCwmpVersion !== undefined) content += headerElement("UseCWMPVersion", "1", h.useCwmpVersion);
  return content === "" ? "" : element(`${PREFIX.env}:Header`, content);
}
