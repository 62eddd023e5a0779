import { AuditQuery, exportAuditCsv, listAuditActions, listAuditEvents } from "@beacon/domain";
import { z } from "zod";
import { AuditPage } from "../rest/schemas.ts";
import { router, tenantProcedure } from "../trpc.ts";

export const auditRouter = router({
  list: tenantProcedure
    .meta({
      rest: {
        method: "GET",
        path: "/audit",
        operationId: "listAuditEvents",
        tag: "Audit",
        summary: "The audit log of a domain and the domains below it, newest first, a page at a time",
        description:
          'Calls made with API tokens appear with the actor "token:<prefix>". `from` and `to` are ISO 8601 times.',
        permission: "audit.read",
        response: AuditPage,
      },
    })
    .input(AuditQuery)
    .query(({ ctx, input }) => listAuditEvents(ctx.db, ctx.access, input)),
  actions: tenantProcedure
    .meta({
      rest: {
        method: "GET",
        path: "/audit/actions",
        tag: "Audit",
        summary: "The actions the audit log of a domain holds, to filter by",
        permission: "audit.read",
      },
    })
    .input(z.object({ tenantId: z.uuid() }))
    .query(({ ctx, input }) => listAuditActions(ctx.db, ctx.access, input)),
  exportCsv: tenantProcedure
    .meta({
      rest: {
        method: "GET",
        path: "/audit/export",
        tag: "Audit",
        summary: "The audit log as CSV text",
        permission: "audit.read",
      },
    })
    .input(AuditQuery)
    .query(({ ctx, input }) => exportAuditCsv(ctx.db, ctx.access, input)),
});
