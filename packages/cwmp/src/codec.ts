import type { XmlElement } from "./xml/reader.ts";
import { rpcElement } from "./xml/writer.ts";

/**
 * The parse/serialize pair for one CWMP message. `decode` reads the element inside soap:Body (throwing
 * InvalidRpc when a required field is missing or unreadable); `encode` returns that element as XML, using
 * the prefixes the envelope declares (cwmp, soap-enc, xsd, xsi).
 */
export interface RpcCodec<M extends { readonly type: string }> {
  readonly type: M["type"];
  decode(element: XmlElement): M;
  encode(message: M): string;
}

/** Codec for a message without arguments, e.g. RebootResponse. */
export function emptyMessageCodec<T extends string>(type: T): RpcCodec<{ readonly type: T }> {
  const xml = rpcElement(type);
  return { type, decode: () => ({ type }), encode: () => xml };
}
