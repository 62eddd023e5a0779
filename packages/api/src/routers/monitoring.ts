import {
  deviceSeries,
  MonitoringProfileInput,
  monitoringOverview,
  opticalDistribution,
  opticalDistributionBySite,
  SERIES_RANGES,
  type SeriesRange,
  saveMonitoringProfile,
} from "@beacon/domain";
import { z } from "zod";
import { router, tenantProcedure } from "../trpc.ts";

const Range = z.enum(Object.keys(SERIES_RANGES) as [SeriesRange, ...SeriesRange[]]);

/** Readings over time for the device page, and their spread across a domain for the dashboard. */
export const monitoringRouter = router({
  deviceSeries: tenantProcedure
    .meta({
      rest: {
        method: "GET",
        path: "/devices/{deviceId}/series",
        tag: "Monitoring",
        summary: "A device's readings over time (optical power, temperature, traffic ...)",
        permission: "device.read",
      },
    })
    .input(z.object({ deviceId: z.uuid(), range: Range.default("24h") }))
    .query(({ ctx, input }) =>
      ctx.tenancy.withinReach(ctx.access, { deviceId: input.deviceId }, "device.read", (db) =>
        deviceSeries(db, input.deviceId, input.range),
      ),
    ),
  opticalDistribution: tenantProcedure
    .meta({
      rest: {
        method: "GET",
        path: "/domains/{tenantId}/optical-distribution",
        tag: "Monitoring",
        summary: "How the optical receive power of a domain's ONUs is spread",
        permission: "device.read",
      },
    })
    .input(z.object({ tenantId: z.uuid() }))
    .query(({ ctx, input }) =>
      ctx.tenancy.withinReach(ctx.access, { domainId: input.tenantId }, "device.read", (db) =>
        opticalDistribution(db, input.tenantId),
      ),
    ),
  opticalDistributionBySite: tenantProcedure
    .meta({
      rest: {
        method: "GET",
        path: "/domains/{tenantId}/optical-distribution/sites",
        tag: "Monitoring",
        summary: "The optical receive power of a domain's ONUs, per site (the domain and each domain right below it)",
        permission: "device.read",
      },
    })
    .input(z.object({ tenantId: z.uuid() }))
    .query(({ ctx, input }) =>
      ctx.tenancy.withinReach(ctx.access, { domainId: input.tenantId }, "device.read", (db) =>
        opticalDistributionBySite(db, input.tenantId),
      ),
    ),
  profiles: tenantProcedure
    .meta({
      rest: {
        method: "GET",
        path: "/domains/{tenantId}/monitoring-profiles",
        tag: "Monitoring",
        summary: "Which metrics Beacon reads from each model in a domain, and how often",
        permission: "device.read",
      },
    })
    .input(z.object({ tenantId: z.uuid() }))
    .query(({ ctx, input }) =>
      ctx.tenancy.withinReach(ctx.access, { domainId: input.tenantId }, "device.read", (db) =>
        monitoringOverview(db, input.tenantId),
      ),
    ),
  saveProfile: tenantProcedure
    .meta({
      rest: {
        method: "POST",
        path: "/domains/{tenantId}/monitoring-profiles",
        tag: "Monitoring",
        summary: "Create or replace a monitoring profile (by name) of a domain",
        permission: "tenant.manage",
      },
    })
    .input(MonitoringProfileInput)
    .mutation(({ ctx, input }) =>
      ctx.tenancy.withinReach(ctx.access, { domainId: input.tenantId }, "tenant.manage", (db) =>
        saveMonitoringProfile(db, input, ctx.access.actor),
      ),
    ),
});
