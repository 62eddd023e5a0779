import { DIAGNOSTIC_KINDS, getDiagnostic, healthCheck, listDiagnosticPage, startDiagnostic } from "@beacon/domain";
import { z } from "zod";
import { router, tenantProcedure } from "../trpc.ts";
import { wakeInBackground } from "../wake-devices.ts";

const DiagnosticKind = z.enum(DIAGNOSTIC_KINDS);

/** What a health check may measure afresh besides re-reading the monitored values. */
export const HealthCheckRefresh = z.object({
  pingHost: z.string().trim().min(1).max(256).optional(),
  downloadUrl: z.url({ protocol: /^(https?|ftp)$/ }).optional(),
});

/**
 * Remote diagnostics on a device: support and above run them (like a refresh, they only read the device), anyone
 * who sees the device reads their history. The parameters are checked per kind by the domain.
 */
export const diagnosticsRouter = router({
  start: tenantProcedure
    .input(
      z.object({ deviceId: z.uuid(), kind: DiagnosticKind, params: z.record(z.string(), z.unknown()).default({}) }),
    )
    .mutation(async ({ ctx, input }) => {
      const diagnostic = await ctx.tenancy.withinReach(
        ctx.access,
        { deviceId: input.deviceId },
        "device.refresh",
        (db) =>
          startDiagnostic(db, {
            deviceId: input.deviceId,
            kind: input.kind,
            params: input.params,
            actor: ctx.access.actor,
          }),
      );
      wakeInBackground(ctx, [{ deviceId: diagnostic.deviceId, taskId: diagnostic.setTaskId }]);
      return diagnostic;
    }),
  list: tenantProcedure
    .input(
      z.object({
        deviceId: z.uuid(),
        kind: DiagnosticKind.optional(),
        page: z.number().int().min(1).default(1),
        pageSize: z.number().int().min(1).max(100).default(10),
      }),
    )
    .query(({ ctx, input }) =>
      ctx.tenancy.withinReach(ctx.access, { deviceId: input.deviceId }, "device.read", (db) =>
        listDiagnosticPage(db, input.deviceId, input),
      ),
    ),
  get: tenantProcedure
    .input(z.object({ diagnosticId: z.uuid() }))
    .query(({ ctx, input }) => getDiagnostic(ctx.db, input.diagnosticId)),
  /** The device's health from what Beacon already knows. */
  health: tenantProcedure
    .input(z.object({ deviceId: z.uuid() }))
    .query(({ ctx, input }) =>
      ctx.tenancy.withinReach(ctx.access, { deviceId: input.deviceId }, "device.read", (db) =>
        healthCheck(db, input.deviceId),
      ),
    ),
  /** The one-click health check: re-reads the monitored values, pings and so on, and wakes the device. */
  runHealthCheck: tenantProcedure
    .input(z.object({ deviceId: z.uuid(), refresh: HealthCheckRefresh.default({}) }))
    .mutation(async ({ ctx, input }) => {
      const report = await ctx.tenancy.withinReach(ctx.access, { deviceId: input.deviceId }, "device.refresh", (db) =>
        healthCheck(db, input.deviceId, { refresh: { ...input.refresh, actor: ctx.access.actor } }),
      );
      const [first] = report.started.taskIds;
      // One wake-up runs every queued task in the same session.
      if (first) wakeInBackground(ctx, [{ deviceId: input.deviceId, taskId: first }]);
      return report;
    }),
});
