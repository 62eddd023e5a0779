import { type AcsMessage, DEFAULT_CWMP_NAMESPACE, encode, type Fault } from "@beacon/cwmp";
import type { FastifyReply } from "fastify";

const SOAP_CONTENT_TYPE = 'text/xml; charset="utf-8"';

/** One SOAP envelope in the session's namespace; the cwmp:ID only when there is one to echo or to ask for. */
export function sendSoap(
  reply: FastifyReply,
  message: AcsMessage,
  options: { namespace: string | undefined; id: string | undefined; status?: number },
): FastifyReply {
  const xml = encode(message, {
    namespace: options.namespace || DEFAULT_CWMP_NAMESPACE,
    ...(options.id === undefined ? {} : { id: options.id }),
  });
  return reply
    .code(options.status ?? 200)
    .header("content-type", SOAP_CONTENT_TYPE)
    .send(xml);
}

/** A CWMP fault for the CPE; SOAP 1.1 section 6.2 sends faults with HTTP 500. */
export function sendFault(
  reply: FastifyReply,
  code: number,
  faultString: string,
  options: { namespace: string | undefined; id: string | undefined; status?: number },
): FastifyReply {
  const fault: Fault = { type: "Fault", faultCode: code, faultString };
  return sendSoap(reply, fault, { ...options, status: options.status ?? 500 });
}

/** An empty response: the ACS has nothing more to say, which ends the session (TR-069 3.7.1.4). */
export function sendEnd(reply: FastifyReply): FastifyReply {
  return reply.code(204).send();
}
