import { AuditQuery, exportAuditCsv, listAuditActions, listAuditEvents } from "@beacon/domain";
import { z } from "zod";
import { router, tenantProcedure } from "../trpc.ts";

export const auditRouter = router({
  list: tenantProcedure.input(AuditQuery).query(({ ctx, input }) => listAuditEvents(ctx.db, ctx.access, input)),
  actions: tenantProcedure
    .input(z.object({ tenantId: z.uuid() }))
    .query(({ ctx, input }) => listAuditActions(ctx.db, ctx.access, input)),
  exportCsv: tenantProcedure.input(AuditQuery).query(({ ctx, input }) => exportAuditCsv(ctx.db, ctx.access, input)),
});
