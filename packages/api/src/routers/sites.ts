import { createBuilding, createFloor, createRoom, createRoomRange, importRoomsCsv, roomGrid } from "@beacon/domain";
import { z } from "zod";
import { router, tenantProcedure } from "../trpc.ts";

const SiteId = z.object({ siteId: z.uuid() });

/** About 20,000 rows of a rooms spreadsheet. */
export const MAX_CSV_CHARACTERS = 2_000_000;

export const sitesRouter = router({
  /** Every room of a site with its device's state; the console polls it to show checkouts finishing. */
  grid: tenantProcedure
    .input(SiteId)
    .query(({ ctx, input }) =>
      ctx.tenancy.withinReach(ctx.access, { domainId: input.siteId }, "device.read", (db) =>
        roomGrid(db, input.siteId),
      ),
    ),
  createBuilding: tenantProcedure
    .input(SiteId.extend({ name: z.string().max(100), sortOrder: z.number().int().optional() }))
    .mutation(({ ctx, input }) =>
      ctx.tenancy.withinReach(ctx.access, { domainId: input.siteId }, "provisioning.manage", (db) =>
        createBuilding(db, input),
      ),
    ),
  createFloor: tenantProcedure
    .input(z.object({ buildingId: z.uuid(), name: z.string().max(100), level: z.number().int().optional() }))
    .mutation(({ ctx, input }) =>
      ctx.tenancy.withinReach(ctx.access, { buildingId: input.buildingId }, "provisioning.manage", (db) =>
        createFloor(db, input),
      ),
    ),
  createRoom: tenantProcedure
    .input(SiteId.extend({ number: z.string().max(32), floorId: z.uuid().optional(), name: z.string().max(100) }))
    .mutation(({ ctx, input }) =>
      ctx.tenancy.withinReach(ctx.access, { domainId: input.siteId }, "provisioning.manage", (db) =>
        createRoom(db, input),
      ),
    ),
  /** "Rooms 101 to 120 on floor 1". */
  createRoomRange: tenantProcedure
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
    .input(SiteId.extend({ csv: z.string().max(MAX_CSV_CHARACTERS), dryRun: z.boolean() }))
    .mutation(({ ctx, input }) =>
      ctx.tenancy.withinReach(ctx.access, { domainId: input.siteId }, "provisioning.manage", (db) =>
        importRoomsCsv(db, { ...input, actor: ctx.access.actor }),
      ),
    ),
});
