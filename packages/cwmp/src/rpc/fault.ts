import type { RpcCodec } from "../codec.ts";
import { faultText, soapFaultCodeOf } from "../faults.ts";
import { child, children, InvalidRpc, integer, prettyTrim, text, token } from "../xml/fields.ts";
import { PREFIX } from "../xml/namespaces.ts";
import type { XmlElement } from "../xml/reader.ts";
import { element, numberElement, textElement } from "../xml/writer.ts";

/**
 * TR-069 A.5 Fault: a SOAP Fault whose detail holds a cwmp:Fault. The same shape carries CPE faults
 * (9000-9899, answering an ACS request) and ACS faults (8000-8899, answering a CPE request).
 */

export interface SetParameterValuesFault {
  readonly parameterName: string;
  readonly faultCode: number;
  readonly faultString: string;
}

export interface Fault {
  readonly type: "Fault";
  readonly faultCode: number;
  /** Always set when decoded; when encoding, leave it out for the standard text (see faultText). */
  readonly faultString?: string;
  /** Per-parameter faults of a failed SetParameterValues; absent when there are none. */
  readonly setParameterValuesFault?: readonly SetParameterValuesFault[];
}

/** The cwmp:Fault inside a SOAP Fault: in detail (SOAP 1.1), Detail (SOAP 1.2), or directly in Body. */
export function cwmpFaultOf(el: XmlElement): XmlElement | undefined {
  if (child(el, "FaultCode")) return el;
  const detail = child(el, "detail") ?? child(el, "Detail");
  return detail ? child(detail, "Fault") : undefined;
}

export const fault: RpcCodec<Fault> = {
  type: "Fault",
  decode(el) {
    const f = cwmpFaultOf(el);
    if (!f) {
      const soapText = prettyTrim(child(el, "faultstring")?.text ?? "").slice(0, 80);
      throw new InvalidRpc(`SOAP Fault without a CWMP fault in its detail ("${soapText}")`);
    }
    const perParameter = children(f, "SetParameterValuesFault").map((p) => ({
      parameterName: token(p, "ParameterName", ""),
      faultCode: integer(p, "FaultCode"),
      faultString: text(p, "FaultString", ""),
    }));
    const decoded = {
      type: "Fault" as const,
      faultCode: integer(f, "FaultCode"),
      faultString: text(f, "FaultString", ""),
    };
    return perParameter.length > 0 ? { ...decoded, setParameterValuesFault: perParameter } : decoded;
  },
  encode(m) {
    const detail =
      numberElement("FaultCode", m.faultCode) +
      textElement("FaultString", m.faultString ?? faultText(m.faultCode)) +
      (m.setParameterValuesFault ?? [])
        .map((p) =>
          element(
            "SetParameterValuesFault",
            textElement("ParameterName", p.parameterName) +
              numberElement("FaultCode", p.faultCode) +
              textElement("FaultString", p.faultString),
          ),
        )
        .join("");
    // TR-069 A.5: faultcode is the bare word Client or Server, faultstring is "CWMP fault".
    return element(
      `${PREFIX.env}:Fault`,
      textElement("faultcode", soapFaultCodeOf(m.faultCode)) +
        textElement("faultstring", "CWMP fault") +
        element("detail", element(`${PREFIX.cwmp}:Fault`, detail)),
    );
  },
};
