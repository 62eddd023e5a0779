import { describeAccess } from "@beacon/domain";
import { router, tenantProcedure } from "../trpc.ts";

export const sessionRouter = router({
  /** The signed-in user and the domains where they hold a role. */
  me: tenantProcedure
    .meta({
      consoleOnly: "The signed-in person's own domains and roles, for the console's menus; a token asks GET /token.",
    })
    .query(({ ctx }) => describeAccess(ctx.db, ctx.access)),
});
