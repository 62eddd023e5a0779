import {
  createBuilding,
  createFloor,
  createRoom,
  createRoomRange,
  importRoomsCsv,
  roomGrid,
  siteSummaries,
} from "@beacon/domain";
import { z } from "zod";
import { SiteSummaryList } from "../rest/schemas.ts";
import { router, tenantProcedure } from "../trpc.ts";

const SiteId = z.object({ siteId: z.uuid() });

/** About 20,000 rows of a rooms spreadsheet. */
export const MAX_CSV_CHARACTERS = 2_000_000;

export const sitesRouter = router({
  /** Each site below a domain with its own counts: an integrator's customers at a glance. */
  summaries: tenantProcedure
    .meta({
      rest: {
        method: "GET",
        path: "/domains/{tenantId}/sites",
        operationId: "listSiteSummaries",
        tag: "Sites",
        summary:
          "Each hotel or site below a domain with its devices online and offline, active alarms and pending checkouts",
        permission: "device.read",
        response: SiteSummaryList,
      },
    })
    .input(z.object({ tenantId: z.uuid() }))
    .query(({ ctx, input }) => siteSummaries(ctx.db, ctx.access, input)),
  /** Every room of a site with its device's state; the console polls it to show checkouts finishing. */
  grid: tenantProcedure
    .meta({
      rest: {
        method: "GET",
        path: "/sites/{siteId}/rooms",
        operationId: "listRooms",
        tag: "Sites",
        summary: "Every room of a site with its device and its state",
        permission: "device.read",
      },
    })
    .input(SiteId)
    .query(({ ctx, input }) =>
      ctx.tenancy.withinReach(ctx.access, { domainId: input.siteId }, "device.read", (db) =>
        roomGrid(db, input.siteId),
      ),
    ),
  createBuilding: tenantProcedure
    .meta({
      rest: {
        method: "POST",
        path: "/sites/{siteId}/buildings",
        tag: "Sites",
        summary: "Add a building to a site",
        permission: "provisioning.manage",
        status: 201,
      },
    })
    .input(SiteId.extend({ name: z.string().max(100), sortOrder: z.number().int().optional() }))
    .mutation(({ ctx, input }) =>
      ctx.tenancy.withinReach(ctx.access, { domainId: input.siteId }, "provisioning.manage", (db) =>
        createBuilding(db, input),
      ),
    ),
  createFloor: tenantProcedure
    .meta({
      rest: {
        method: "POST",
        path: "/buildings/{buildingId}/floors",
        tag: "Sites",
        summary: "Add a floor to a building",
        permission: "provisioning.manage",
        status: 201,
      },
    })
    .input(z.object({ buildingId: z.uuid(), name: z.string().max(100), level: z.number().int().optional() }))
    .mutation(({ ctx, input }) =>
      ctx.tenancy.withinReach(ctx.access, { buildingId: input.buildingId }, "provisioning.manage", (db) =>
        createFloor(db, input),
      ),
    ),
  createRoom: tenantProcedure
    .meta({
      rest: {
        method: "POST",
        path: "/sites/{siteId}/rooms",
        operationId: "createRoom",
        tag: "Sites",
        summary: "Add a room to a site",
        permission: "provisioning.manage",
        status: 201,
      },
    })
    .input(SiteId.extend({ number: z.string().max(32), floorId: z.uuid().optional(), name: z.string().max(100) }))
    .mutation(({ ctx, input }) =>
      ctx.tenancy.withinReach(ctx.access, { domainId: input.siteId }, "provisioning.manage", (db) =>
        createRoom(db, input),
      ),
    ),
  /** "Rooms 101 to 120 on floor 1". */
  createRoomRange: tenantProcedure
    .meta({
      rest: {
        method: "POST",
        path: "/sites/{siteId}/rooms/range",
        operationId: "createRoomRange",
        tag: "Sites",
        summary: "Add the rooms numbered from `from` to `to`; existing ones are left as they are",
        permission: "provisioning.manage",
        status: 201,
      },
    })
    .input(
      SiteId.extend({
        floorId: z.uuid().optional(),
        from: z.number().int().min(0),
        to: z.number().int().min(0),
        prefix: z.string().max(16).optional(),
      }),
    )
    .mutation(({ ctx, input }) =>
      ctx.tenancy.withinReach(ctx.access, { domainId: input.siteId }, "provisioning.manage", async (db) => {
        const made = await createRoomRange(db, input);
        return { created: made.created.map((room) => room.number), existing: made.existing };
      }),
    ),
  /** Rooms and their devices from a spreadsheet; a dry run reports each row and changes nothing. */
  importRooms: tenantProcedure
    .meta({
      rest: {
        method: "POST",
        path: "/sites/{siteId}/rooms/import",
        operationId: "importRooms",
        tag: "Sites",
        summary: "Rooms and their devices from CSV text; `dryRun` reports each row and changes nothing",
        permission: "provisioning.manage",
      },
    })
    .input(SiteId.extend({ csv: z.string().max(MAX_CSV_CHARACTERS), dryRun: z.boolean() }))
    .mutation(({ ctx, input }) =>
      ctx.tenancy.withinReach(ctx.access, { domainId: input.siteId }, "provisioning.manage", (db) =>
        importRoomsCsv(db, { ...input, actor: ctx.access.actor }),
      ),
    ),
});
