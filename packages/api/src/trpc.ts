import type { AuthenticatedApiToken, Tenancy, TenantAccess } from "@beacon/domain";
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { z } from "zod";
import { describeInvalidInput, INTERNAL_MESSAGE, translateError } from "./errors.ts";
import type { ApiMeta } from "./meta.ts";

/**
 * The one place tRPC is set up: the request context, how errors leave the server, and the procedure builders
 * (public -> authed -> tenant), in the order a request meets them.
 */

export interface ApiContext {
  /** Looks up a user's access and opens the database as that user may see it; the raw client stays inside. */
  tenancy: Tenancy;
  /** The signed-in user's id from a session the app has already verified; null when signed out. */
  sessionUserId: string | null;
  /** A call of the REST API made with an API token the REST layer has already checked: it acts as the token. */
  apiToken?: { token: AuthenticatedApiToken; access: TenantAccess };
}

export function createApiContext(context: ApiContext): ApiContext {
  return context;
}

const t = initTRPC
  .context<ApiContext>()
  .meta<ApiMeta>()
  .create({
    transformer: superjson,
    errorFormatter({ shape, error }) {
      const internal = error.code === "INTERNAL_SERVER_ERROR";
      const invalidInput = error.cause instanceof z.ZodError ? error.cause : null;
      return {
        ...shape,
        message: internal ? INTERNAL_MESSAGE : invalidInput ? describeInvalidInput(invalidInput) : shape.message,
        data: {
          code: shape.data.code,
          httpStatus: shape.data.httpStatus,
          path: shape.data.path,
          fieldErrors: invalidInput ? z.flattenError(invalidInput).fieldErrors : null,
        },
      };
    },
  });

/** Domain code throws typed errors; errors.ts says what they become, once for every procedure. */
const translateDomainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (result.ok) return result;
  const translated = translateError(result.error.cause);
  if (translated) throw translated;
  return result;
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

export const publicProcedure = t.procedure.use(translateDomainErrors);

/**
 * Narrows to a signed-in, enabled user, or a checked API token acting as its creator within its domain and role:
 * `ctx.access` says who acts and on which tenants.
 */
export const authedProcedure = publicProcedure.use(async ({ ctx, next }) => {
  if (ctx.apiToken) return next({ ctx: { access: ctx.apiToken.access } });
  if (!ctx.sessionUserId) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue." });
  const access = await ctx.tenancy.accessFor(ctx.sessionUserId);
  if (!access) {
    throw new TRPCError({ code: "UNAUTHORIZED", message: "Your account is no longer active. Sign in again." });
  }
  return next({ ctx: { access } });
});

/**
 * Adds `ctx.db`: the database limited to the tenants the user may reach. Procedures never see another client.
 * Queries read the replica when the console has one (DATABASE_REPLICA_URL), unless the user has just written;
 * mutations use the primary and mark the user as having written.
 */
export const tenantProcedure = authedProcedure.use(async ({ ctx, type, next }) => {
  if (type === "query") return next({ ctx: { db: ctx.tenancy.readScope(ctx.access) } });
  const result = await next({ ctx: { db: ctx.tenancy.scope(ctx.access) } });
  ctx.tenancy.wrote(ctx.access);
  return result;
});
