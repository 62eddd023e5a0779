import { inviteUser, listUsers, ROLES, revokeRole, setUserDisabled } from "@beacon/domain";
import { z } from "zod";
import { router, tenantProcedure } from "../trpc.ts";

export const NewUser = z.object({
  email: z.string().max(254),
  name: z.string().max(200).optional(),
  password: z.string().max(200),
  tenantId: z.uuid(),
  role: z.enum(ROLES),
});

export const usersRouter = router({
  list: tenantProcedure
    .meta({
      rest: {
        method: "GET",
        path: "/domains/{tenantId}/users",
        tag: "Users",
        summary: "The people with a role on a domain or below it, and their roles",
        permission: "user.read",
      },
    })
    .input(z.object({ tenantId: z.uuid(), query: z.string().max(100).optional() }))
    .query(({ ctx, input }) => listUsers(ctx.db, ctx.access, input)),
  // Unscoped behind the reach check: the email may have an account the inviter cannot see (see inviteUser).
  invite: tenantProcedure
    .meta({
      rest: {
        method: "POST",
        path: "/users",
        tag: "Users",
        summary: "Give a person a role on a domain, creating their account if it does not exist",
        permission: "user.manage",
        status: 201,
      },
    })
    .input(NewUser)
    .mutation(({ ctx, input: { tenantId, ...person } }) =>
      ctx.tenancy.withinReach(ctx.access, { domainId: tenantId }, "user.manage", (db, domain) =>
        inviteUser(db, domain.id, ctx.access.actor, person),
      ),
    ),
  setDisabled: tenantProcedure
    .meta({
      rest: {
        method: "POST",
        path: "/users/{userId}/disabled",
        tag: "Users",
        summary: "Disable or re-enable a person's account",
        status: 204,
        permission: "user.manage",
      },
    })
    .input(z.object({ userId: z.uuid(), disabled: z.boolean() }))
    .mutation(({ ctx, input }) => setUserDisabled(ctx.db, ctx.access, input)),
  revokeRole: tenantProcedure
    .meta({
      rest: {
        method: "DELETE",
        path: "/memberships/{membershipId}",
        tag: "Users",
        summary: "Take a role away from a person",
        status: 204,
        permission: "user.manage",
      },
    })
    .input(z.object({ membershipId: z.uuid() }))
    .mutation(({ ctx, input }) => revokeRole(ctx.db, ctx.access, input)),
});
