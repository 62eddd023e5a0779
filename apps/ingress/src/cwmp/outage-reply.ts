import { isDatabaseUnavailable } from "@beacon/db";
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { sendFault } from "./soap-reply.ts";

/** Seconds a CPE is asked to wait before it tries again while the database is away or Beacon is stopping. */
export const RETRY_AFTER_SECONDS = 10;

const CWMP_NAMESPACE = /urn:dslforum-org:cwmp-1-[0-9]/;

/**
 * 503 with `Retry-After` spelled exactly so: CPE firmware parses HTTP by hand, and Fastify's own headers go out in
 * lower case.
 */
export function askToRetry(reply: FastifyReply, seconds = RETRY_AFTER_SECONDS): FastifyReply {
  reply.raw.setHeader("Retry-After", String(seconds));
  return reply.code(503);
}

/**
 * How a failed CWMP request is answered: never with the error's text (it can name the database's address). A
 * database outage is 503 + Retry-After, empty outside a session and with a CWMP fault 8002 inside one, so the CPE
 * ends the session and calls again later; anything else is a bare 500 whose details stay in the log. Client errors
 * Fastify raised itself (413 body too large, 415) keep their status, without a body.
 */
export function answerCwmpFailure(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
  inSession: boolean,
): FastifyReply {
  const status = error.statusCode ?? 500;
  if (status < 500 && !isDatabaseUnavailable(error)) return reply.code(status).send();
  if (!isDatabaseUnavailable(error)) {
    request.log.error({ err: error }, "CWMP request failed");
    return reply.code(500).send();
  }
  request.log.warn({ code: (error as { code?: string }).code }, "database unavailable: CPE asked to retry later");
  askToRetry(reply);
  if (!inSession) return reply.send();
  const body = request.body instanceof Buffer ? request.body.subarray(0, 4096).toString("latin1") : "";
  const namespace = CWMP_NAMESPACE.exec(body)?.[0];
  return sendFault(reply, 8002, "Internal error", { namespace, id: undefined, status: 503 });
}

/** Outside CWMP (files, health): the same rules, never a body that names the failure. */
export function answerFailure(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return answerCwmpFailure(error, request, reply, false);
}
