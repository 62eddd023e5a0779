import { dashboardSummary } from "@beacon/domain";
import { z } from "zod";
import { router, tenantProcedure } from "../trpc.ts";

export const dashboardRouter = router({
  summary: tenantProcedure
    .meta({
      rest: {
        method: "GET",
        path: "/domains/{tenantId}/summary",
        tag: "Domains",
        summary: "Counts of devices by state, open alarms and recent activity of a domain and below",
        permission: "device.read",
      },
    })
    .input(z.object({ tenantId: z.uuid() }))
    .query(({ ctx, input }) => dashboardSummary(ctx.db, ctx.access, input)),
});
