import { describeAccess } from "@beacon/domain";
import { router, tenantProcedure } from "../trpc.ts";

export const sessionRouter = router({
  /** The signed-in user and the domains where they hold a role. */
  me: tenantProcedure.query(({ ctx }) => describeAccess(ctx.db, ctx.access)),
});
