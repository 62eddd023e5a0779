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
    .input(z.object({ tenantId: z.uuid(), query: z.string().max(100).optional() }))
    .query(({ ctx, input }) => listUsers(ctx.db, ctx.access, input)),
  // Unscoped behind the reach check: the email may have an account the inviter cannot see (see inviteUser).
  invite: tenantProcedure
    .input(NewUser)
    .mutation(({ ctx, input: { tenantId, ...person } }) =>
      ctx.tenancy.withinReach(ctx.access, { domainId: tenantId }, "user.manage", (db, domain) =>
        inviteUser(db, domain.id, ctx.access.actor, person),
      ),
    ),
  setDisabled: tenantProcedure
    .input(z.object({ userId: z.uuid(), disabled: z.boolean() }))
    .mutation(({ ctx, input }) => setUserDisabled(ctx.db, ctx.access, input)),
  revokeRole: tenantProcedure
    .input(z.object({ membershipId: z.uuid() }))
    .mutation(({ ctx, input }) => revokeRole(ctx.db, ctx.access, input)),
});
