import type { Permission } from "@beacon/domain";
import type { z } from "zod";

/**
 * What a procedure says about itself besides its input and code: how it is served over REST (and documented in the
 * OpenAPI document), or why it is for the console alone. Every procedure says one or the other; a test checks it.
 */
export interface ApiMeta {
  rest?: RestMeta;
  /** Why this procedure is not part of the REST API, in a sentence. */
  consoleOnly?: string;
}

export interface RestMeta {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  /**
   * Below /api/v1, e.g. "/sites/{siteId}/rooms": each {name} is the input field of that name. The other fields are
   * query parameters for GET and the JSON body otherwise.
   */
  path: string;
  /** Defaults to the procedure's path in camel case ("devices.get" -> "devicesGet"). */
  operationId?: string;
  tag: string;
  summary: string;
  description?: string;
  /** 201 for operations that create something, 204 for those that answer nothing. */
  status?: 200 | 201 | 204;
  /** The permission the caller's role needs on the target's domain; documented, enforced by the domain. */
  permission?: Permission;
  /** What the caller needs when no single permission says it. */
  needs?: string;
  /** The JSON body is this one input field (e.g. the action of a task) rather than the rest of the input. */
  bodyField?: string;
  /** The answer's JSON form, for the document and the tests; any JSON value when absent. */
  response?: z.ZodType;
}
