import { createApiToken, getDomain, Invalid, listApiTokens, NewApiToken, revokeApiToken } from "@beacon/domain";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { TokenInfo } from "../rest/schemas.ts";
import { router, tenantProcedure } from "../trpc.ts";

/**
 * API tokens, for the console's settings page and for scripts alike. Only owners of a domain manage its tokens; a
 * token's secret is in the answer that creates it and nowhere else, ever.
 */
export const apiTokensRouter = router({
  /** The token a REST call is made with: its domain, the role it acts with now and when it expires. */
  current: tenantProcedure
    .meta({
      rest: {
        method: "GET",
        path: "/token",
        operationId: "getToken",
        tag: "Tokens",
        summary: "The calling token: its domain, the role it acts with and when it expires",
        response: TokenInfo,
      },
    })
    .query(async ({ ctx }) => {
      if (!ctx.apiToken) {
        throw new TRPCError({ code: "NOT_FOUND", message: "This call is not made with an API token." });
      }
      const { token } = ctx.apiToken;
      return {
        prefix: token.prefix,
        name: token.name,
        role: token.role,
        domain: await getDomain(ctx.db, ctx.access, token.tenantId),
        expiresAt: token.expiresAt,
      };
    }),
  list: tenantProcedure
    .meta({
      rest: {
        method: "GET",
        path: "/domains/{tenantId}/tokens",
        operationId: "listApiTokens",
        tag: "Tokens",
        summary: "A domain's API tokens (never their secrets), newest first",
        permission: "tenant.manage",
      },
    })
    .input(z.object({ tenantId: z.uuid() }))
    .query(({ ctx, input }) => listApiTokens(ctx.db, ctx.access, input)),
  create: tenantProcedure
    .meta({
      rest: {
        method: "POST",
        path: "/domains/{tenantId}/tokens",
        operationId: "createApiToken",
        tag: "Tokens",
        summary: "Create an API token for a domain (and the domains below it) with a role and an expiry",
        description:
          "`token` in the answer is the secret: it is shown this once and never again. A token acts with the weaker of its role and its creator's present role. A token may create tokens (if its role is owner) that expire no later than itself.",
        permission: "tenant.manage",
        status: 201,
      },
    })
    .input(NewApiToken)
    .mutation(async ({ ctx, input }) => {
      if (ctx.apiToken && input.expiresAt > ctx.apiToken.token.expiresAt) {
        // Said only of a domain within reach, like every other refusal.
        await getDomain(ctx.db, ctx.access, input.tenantId);
        throw new Invalid(
          `a token may only create tokens that expire no later than itself (${ctx.apiToken.token.expiresAt.toISOString()})`,
        );
      }
      return createApiToken(ctx.db, ctx.access, input);
    }),
  revoke: tenantProcedure
    .meta({
      rest: {
        method: "POST",
        path: "/tokens/{tokenId}/revoke",
        operationId: "revokeApiToken",
        tag: "Tokens",
        summary: "Revoke an API token: its next call is refused",
        permission: "tenant.manage",
      },
    })
    .input(z.object({ tokenId: z.uuid() }))
    .mutation(({ ctx, input }) => revokeApiToken(ctx.db, ctx.access, input)),
});
