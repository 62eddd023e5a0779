import {
  deletePmsConnector,
  getPmsConnector,
  PmsConnectorSettings,
  rotatePmsWebhookSecret,
  savePmsConnector,
} from "@beacon/domain";
import { z } from "zod";
import { router, tenantProcedure } from "../trpc.ts";

const Site = z.object({ siteId: z.uuid().meta({ description: "The hotel's domain id." }) });

/**
 * A hotel's PMS connector. Everyone who sees the hotel sees the connector and its status; its owners change it.
 * No answer carries the PMS API credentials, and the webhook secret only in the answer that makes it.
 */
export const pmsRouter = router({
  get: tenantProcedure
    .meta({
      rest: {
        method: "GET",
        path: "/sites/{siteId}/pms",
        operationId: "getPmsConnector",
        tag: "Hotels",
        summary: "The hotel's PMS connector and its status (connected, last record, errors); null when it has none",
        permission: "tenant.read",
      },
    })
    .input(Site)
    .query(({ ctx, input }) =>
      ctx.tenancy.withinReach(ctx.access, { domainId: input.siteId }, "tenant.read", (db) =>
        getPmsConnector(db, input.siteId),
      ),
    ),
  save: tenantProcedure
    .meta({
      rest: {
        method: "POST",
        path: "/sites/{siteId}/pms",
        operationId: "savePmsConnector",
        tag: "Hotels",
        summary: "Create or change the hotel's PMS connector; a new webhook secret is in this answer only",
        permission: "tenant.manage",
      },
    })
    .input(PmsConnectorSettings)
    .mutation(({ ctx, input }) =>
      ctx.tenancy.withinReach(ctx.access, { domainId: input.siteId }, "tenant.manage", (db) =>
        savePmsConnector(db, input, ctx.access.actor),
      ),
    ),
  rotateSecret: tenantProcedure
    .meta({
      rest: {
        method: "POST",
        path: "/sites/{siteId}/pms/rotate-secret",
        operationId: "rotatePmsWebhookSecret",
        tag: "Hotels",
        summary: "A new webhook secret for a cloud PMS (the old one stops working at once); in this answer only",
        permission: "tenant.manage",
      },
    })
    .input(Site)
    .mutation(({ ctx, input }) =>
      ctx.tenancy.withinReach(ctx.access, { domainId: input.siteId }, "tenant.manage", (db) =>
        rotatePmsWebhookSecret(db, input.siteId, ctx.access.actor),
      ),
    ),
  delete: tenantProcedure
    .meta({
      rest: {
        method: "DELETE",
        path: "/sites/{siteId}/pms",
        operationId: "deletePmsConnector",
        tag: "Hotels",
        summary: "Remove the hotel's PMS connector (a FIAS link closes within seconds)",
        permission: "tenant.manage",
        status: 204,
      },
    })
    .input(Site)
    .mutation(async ({ ctx, input }) => {
      await ctx.tenancy.withinReach(ctx.access, { domainId: input.siteId }, "tenant.manage", (db) =>
        deletePmsConnector(db, input.siteId, ctx.access.actor),
      );
    }),
});
