import { isDatabaseUnavailable } from "@beacon/db";
import { DomainError } from "@beacon/domain";
import { z } from "zod";

/**
 * Errors leave the REST API as RFC 9457 problem documents (application/problem+json) whose `detail` is a sentence
 * a person can act on. Domain errors are translated here once, as trpc.ts does for tRPC.
 */

export interface Problem {
  status: number;
  detail: string;
  errors?: Record<string, string[]>;
}

const DOMAIN_ERROR_STATUS: Record<DomainError["code"], number> = {
  NOT_FOUND: 404,
  NOT_ALLOWED: 403,
  INVALID: 400,
  CONFLICT: 409,
  UNAUTHENTICATED: 401,
  TOO_MANY_ATTEMPTS: 429,
};

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  413: "Content Too Large",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

/** The problem an error stands for, or null for an unexpected one (a 500 whose details stay in the log). */
export function problemOf(error: unknown): Problem | null {
  if (error instanceof DomainError)
    return { status: DOMAIN_ERROR_STATUS[error.code], detail: asSentence(error.message) };
  if (error instanceof z.ZodError) {
    const errors: Record<string, string[]> = {};
    for (const issue of error.issues) {
      const field = issue.path.map(String).join(".") || "(input)";
      errors[field] = [...(errors[field] ?? []), issue.message];
    }
    const [field, messages] = Object.entries(errors)[0]!;
    return { status: 400, detail: asSentence(`${field}: ${messages![0]}`), errors };
  }
  if (isDatabaseUnavailable(error)) return DATABASE_UNAVAILABLE_PROBLEM;
  const prismaCode = prismaErrorCode(error);
  if (prismaCode === "P2002") return { status: 409, detail: "That exists already." };
  if (prismaCode === "P2025") return { status: 404, detail: "Not found." };
  return null;
}

/** The database is away (restarting, unreachable): a 503 the caller may retry, naming nothing internal. */
export const DATABASE_UNAVAILABLE_PROBLEM: Problem = {
  status: 503,
  detail: "The database is unavailable; Beacon is retrying. Try again in a few seconds.",
};

export const INTERNAL_PROBLEM: Problem = {
  status: 500,
  detail: "Something went wrong on the server. Try again, or ask an administrator to check the logs.",
};

function prismaErrorCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null || !("code" in error)) return undefined;
  return typeof error.code === "string" && /^P\d{4}$/.test(error.code) ? error.code : undefined;
}

/** "device not found" -> "Device not found." */
export function asSentence(message: string): string {
  const trimmed = message.trim();
  if (!trimmed) return trimmed;
  const capitalised = trimmed[0]!.toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capitalised) ? capitalised : `${capitalised}.`;
}

/** JSON that also carries bigint ids (as strings). */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
}

export function problemResponse(problem: Problem, headers: Record<string, string> = {}): Response {
  const body = {
    type: "about:blank",
    title: TITLES[problem.status] ?? "Error",
    status: problem.status,
    detail: problem.detail,
    ...(problem.errors ? { errors: problem.errors } : {}),
  };
  return new Response(toJson(body), {
    status: problem.status,
    headers: {
      "content-type": "application/problem+json",
      "cache-control": "no-store",
      ...(problem.status === 503 ? { "retry-after": "10" } : {}),
      ...headers,
    },
  });
}
