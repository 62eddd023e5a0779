import { dashboardSummary } from "@beacon/domain";
import { z } from "zod";
import { router, tenantProcedure } from "../trpc.ts";

export const dashboardRouter = router({
  summary: tenantProcedure
    .input(z.object({ tenantId: z.uuid() }))
    .query(({ ctx, input }) => dashboardSummary(ctx.db, ctx.access, input)),
});
