import { deviceSeries, opticalDistribution, SERIES_RANGES, type SeriesRange } from "@beacon/domain";
import { z } from "zod";
import { router, tenantProcedure } from "../trpc.ts";

const Range = z.enum(Object.keys(SERIES_RANGES) as [SeriesRange, ...SeriesRange[]]);

/** Readings over time for the device page, and their spread across a domain for the dashboard. */
export const monitoringRouter = router({
  deviceSeries: tenantProcedure
    .input(z.object({ deviceId: z.uuid(), range: Range.default("24h") }))
    .query(({ ctx, input }) =>
      ctx.tenancy.withinReach(ctx.access, { deviceId: input.deviceId }, "device.read", (db) =>
        deviceSeries(db, input.deviceId, input.range),
      ),
    ),
  opticalDistribution: tenantProcedure
    .input(z.object({ tenantId: z.uuid() }))
    .query(({ ctx, input }) =>
      ctx.tenancy.withinReach(ctx.access, { domainId: input.tenantId }, "device.read", (db) =>
        opticalDistribution(db, input.tenantId),
      ),
    ),
});
