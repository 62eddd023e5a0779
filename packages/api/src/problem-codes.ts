/**
 * The API's stable problem codes, and the one mapping from tRPC's error codes to them. Free of dependencies: the
 * console's client components name a failed request by these codes (its text is errors.<code> in every language)
 * and import this file alone; REST answers with them (errors.ts).
 */

/** A program may switch on `code`; `detail` is for people and may be reworded. */
export const PROBLEM_CODES = {
  invalid_input: { status: 400, title: "Bad Request" },
  invalid_json: { status: 400, title: "Bad Request" },
  unauthenticated: { status: 401, title: "Unauthorized" },
  forbidden: { status: 403, title: "Forbidden" },
  not_found: { status: 404, title: "Not Found" },
  method_not_allowed: { status: 405, title: "Method Not Allowed" },
  conflict: { status: 409, title: "Conflict" },
  too_large: { status: 413, title: "Content Too Large" },
  too_many_requests: { status: 429, title: "Too Many Requests" },
  internal: { status: 500, title: "Internal Server Error" },
  unavailable: { status: 503, title: "Service Unavailable" },
} as const;
export type ProblemCode = keyof typeof PROBLEM_CODES;

/**
 * The problem code of a tRPC error code. INTERNAL_SERVER_ERROR is left out on purpose: its message is never shown,
 * so each side says "internal" its own way (REST with a fixed sentence).
 */
export const PROBLEM_OF_TRPC_CODE: Readonly<Partial<Record<string, ProblemCode>>> = {
  BAD_REQUEST: "invalid_input",
  PARSE_ERROR: "invalid_json",
  UNAUTHORIZED: "unauthenticated",
  FORBIDDEN: "forbidden",
  NOT_FOUND: "not_found",
  METHOD_NOT_SUPPORTED: "method_not_allowed",
  CONFLICT: "conflict",
  PAYLOAD_TOO_LARGE: "too_large",
  TOO_MANY_REQUESTS: "too_many_requests",
  SERVICE_UNAVAILABLE: "unavailable",
};
