import { isDatabaseUnavailable } from "@beacon/db";
import { DomainError } from "@beacon/domain";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { PROBLEM_CODES, PROBLEM_OF_TRPC_CODE, type ProblemCode } from "./problem-codes.ts";

export { PROBLEM_CODES, type ProblemCode };

/**
 * The one place errors are mapped: domain errors and the database's own outcomes become tRPC codes (for the console
 * and, through it, for REST), and tRPC errors become RFC 9457 problem documents with a stable `code` for REST.
 */

export const DOMAIN_ERROR_CODES: Record<DomainError["code"], TRPCError["code"]> = {
  NOT_FOUND: "NOT_FOUND",
  NOT_ALLOWED: "FORBIDDEN",
  INVALID: "BAD_REQUEST",
  CONFLICT: "CONFLICT",
  UNAUTHENTICATED: "UNAUTHORIZED",
  TOO_MANY_ATTEMPTS: "TOO_MANY_REQUESTS",
};

export const INTERNAL_MESSAGE =
  "Something went wrong on the server. Try again, or ask an administrator to check the logs.";
export const DATABASE_UNAVAILABLE_MESSAGE =
  "The database is unavailable; Beacon is retrying. Try again in a few seconds.";

/**
 * What a thrown error stands for as a tRPC error, or null for an unexpected one (a 500 whose details stay in the
 * log). A unique clash and a row that vanished are the caller's outcomes, not the server's.
 */
export function translateError(cause: unknown): TRPCError | null {
  if (cause instanceof DomainError) {
    return new TRPCError({ code: DOMAIN_ERROR_CODES[cause.code], message: asSentence(cause.message), cause });
  }
  if (isDatabaseUnavailable(cause)) {
    return new TRPCError({ code: "SERVICE_UNAVAILABLE", message: DATABASE_UNAVAILABLE_MESSAGE, cause });
  }
  const prismaCode = prismaErrorCode(cause);
  if (prismaCode === "P2002") return new TRPCError({ code: "CONFLICT", message: "That exists already.", cause });
  if (prismaCode === "P2025") return new TRPCError({ code: "NOT_FOUND", message: "Not found.", cause });
  return null;
}

function prismaErrorCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null || !("code" in error)) return undefined;
  return typeof error.code === "string" && /^P\d{4}$/.test(error.code) ? error.code : undefined;
}

/** "device not found" -> "Device not found." so every message reads as a sentence. */
export function asSentence(message: string): string {
  const trimmed = message.trim();
  if (!trimmed) return trimmed;
  const capitalised = trimmed[0]!.toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capitalised) ? capitalised : `${capitalised}.`;
}

/** The first problem of a rejected input as a sentence ("name: Too big: expected string to have <=100 characters."). */
export function describeInvalidInput(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "The request was not understood.";
  const where = issue.path.length ? `${issue.path.join(".")}: ` : "";
  return asSentence(`${where}${issue.message}`);
}

// ---- REST: problem documents

export interface Problem {
  code: ProblemCode;
  detail: string;
  errors?: Record<string, string[]>;
}

export const INTERNAL_PROBLEM: Problem = { code: "internal", detail: INTERNAL_MESSAGE };

/** Per input field, what is wrong with it. */
function fieldErrors(error: z.ZodError): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const field = issue.path.map(String).join(".") || "(input)";
    errors[field] = [...(errors[field] ?? []), issue.message];
  }
  return errors;
}

/** The problem an error stands for, or null for an unexpected one. */
export function problemOf(error: unknown): Problem | null {
  if (error instanceof z.ZodError) {
    return { code: "invalid_input", detail: describeInvalidInput(error), errors: fieldErrors(error) };
  }
  if (error instanceof TRPCError) {
    if (error.cause instanceof z.ZodError) return problemOf(error.cause);
    const code = PROBLEM_OF_TRPC_CODE[error.code];
    return code ? { code, detail: asSentence(error.message) } : null;
  }
  const translated = translateError(error);
  return translated ? problemOf(translated) : null;
}

/** JSON that also carries bigint ids (as strings). */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
}

export function problemResponse(problem: Problem, headers: Record<string, string> = {}): Response {
  const { status, title } = PROBLEM_CODES[problem.code];
  const body = {
    type: `urn:beacon:problem:${problem.code}`,
    title,
    status,
    code: problem.code,
    detail: problem.detail,
    ...(problem.errors ? { errors: problem.errors } : {}),
  };
  return new Response(toJson(body), {
    status,
    headers: {
      "content-type": "application/problem+json",
      "cache-control": "no-store",
      ...(status === 503 ? { "retry-after": "10" } : {}),
      ...headers,
    },
  });
}
