import { isDatabaseUnavailable } from "@beacon/db";
import { DomainError, type Tenancy } from "@beacon/domain";
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { z } from "zod";

/**
 * The one place tRPC is set up: the request context, how errors leave the server, and the procedure builders
 * (public -> authed -> tenant), in the order a request meets them.
 */

export interface ApiContext {
  /** Looks up a user's access and opens the database as that user may see it; the raw client stays inside. */
  tenancy: Tenancy;
  /** The signed-in user's id from a session the app has already verified; null when signed out. */
  sessionUserId: string | null;
}

export function createApiContext(context: ApiContext): ApiContext {
  return context;
}

const t = initTRPC.context<ApiContext>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const internal = error.code === "INTERNAL_SERVER_ERROR";
    const invalidInput = error.cause instanceof z.ZodError ? error.cause : null;
    return {
      ...shape,
      message: internal
        ? "Something went wrong on the server. Try again, or ask an administrator to check the logs."
        : invalidInput
          ? describeInvalidInput(invalidInput)
          : shape.message,
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        path: shape.data.path,
        fieldErrors: error.cause instanceof z.ZodError ? z.flattenError(error.cause).fieldErrors : null,
      },
    };
  },
});

/** The first problem of a rejected input as a sentence ("name: Too big: expected string to have <=100 characters."). */
function describeInvalidInput(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "The request was not understood.";
  const where = issue.path.length ? `${issue.path.join(".")}: ` : "";
  return asSentence(`${where}${issue.message}`);
}

const DOMAIN_ERROR_CODES: Record<DomainError["code"], TRPCError["code"]> = {
  NOT_FOUND: "NOT_FOUND",
  NOT_ALLOWED: "FORBIDDEN",
  INVALID: "BAD_REQUEST",
  CONFLICT: "CONFLICT",
  UNAUTHENTICATED: "UNAUTHORIZED",
  TOO_MANY_ATTEMPTS: "TOO_MANY_REQUESTS",
};

/**
 * Domain code throws typed errors; this is where they become tRPC codes, once for every procedure. Two database
 * outcomes that are the user's, not the server's, are translated too: a unique clash and a row that vanished.
 */
const translateDomainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (result.ok) return result;
  const cause = result.error.cause;
  if (cause instanceof DomainError) {
    throw new TRPCError({ code: DOMAIN_ERROR_CODES[cause.code], message: asSentence(cause.message), cause });
  }
  if (isDatabaseUnavailable(cause)) {
    throw new TRPCError({
      code: "SERVICE_UNAVAILABLE",
      message: "The database is unavailable; Beacon is retrying. Try again in a few seconds.",
      cause,
    });
  }
  const prismaCode = prismaErrorCode(cause);
  if (prismaCode === "P2002") throw new TRPCError({ code: "CONFLICT", message: "That exists already.", cause });
  if (prismaCode === "P2025") throw new TRPCError({ code: "NOT_FOUND", message: "Not found.", cause });
  return result;
});

function prismaErrorCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null || !("code" in error)) return undefined;
  return typeof error.code === "string" && /^P\d{4}$/.test(error.code) ? error.code : undefined;
}

/** "device not found" -> "Device not found." so every message reads as a sentence in the console. */
function asSentence(message: string): string {
  const trimmed = message.trim();
  if (!trimmed) return trimmed;
  const capitalised = trimmed[0]!.toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capitalised) ? capitalised : `${capitalised}.`;
}

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

export const publicProcedure = t.procedure.use(translateDomainErrors);

/** Narrows to a signed-in, enabled user: `ctx.access` says who acts and on which tenants. */
export const authedProcedure = publicProcedure.use(async ({ ctx, next }) => {
  if (!ctx.sessionUserId) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue." });
  const access = await ctx.tenancy.accessFor(ctx.sessionUserId);
  if (!access) {
    throw new TRPCError({ code: "UNAUTHORIZED", message: "Your account is no longer active. Sign in again." });
  }
  return next({ ctx: { access } });
});

/** Adds `ctx.db`: the database limited to the tenants the user may reach. Procedures never see another client. */
export const tenantProcedure = authedProcedure.use(({ ctx, next }) =>
  next({ ctx: { db: ctx.tenancy.scope(ctx.access) } }),
);
