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
    .meta({
      rest: {
        method: "POST",
        path: "/devices/{deviceId}/diagnostics",
        tag: "Diagnostics",
        summary: "Start a diagnostic (ping, traceroute, download, upload ...) on a device",
        permission: "device.refresh",
        status: 201,
      },
    })
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
    .meta({
      rest: {
        method: "GET",
        path: "/devices/{deviceId}/diagnostics",
        tag: "Diagnostics",
        summary: "A device's diagnostics, newest first, a page at a time",
        permission: "device.read",
      },
    })
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
    .meta({
      rest: {
        method: "GET",
        path: "/diagnostics/{diagnosticId}",
        tag: "Diagnostics",
        summary: "One diagnostic and its result",
        permission: "device.read",
      },
    })
    .input(z.object({ diagnosticId: z.uuid() }))
    .query(({ ctx, input }) => getDiagnostic(ctx.db, input.diagnosticId)),
  /** The device's health from what Beacon already knows. */
  health: tenantProcedure
    .meta({
      rest: {
        method: "GET",
        path: "/devices/{deviceId}/health",
        tag: "Diagnostics",
        summary: "A device's health from what Beacon already knows",
        permission: "device.read",
      },
    })
    .input(z.object({ deviceId: z.uuid() }))
    .query(({ ctx, input }) =>
      ctx.tenancy.withinReach(ctx.access, { deviceId: input.deviceId }, "device.read", (db) =>
        healthCheck(db, input.deviceId),
      ),
    ),
  /** The one-click health check: re-reads the monitored values, pings and so on, and wakes the device. */
  runHealthCheck: tenantProcedure
    .meta({
      rest: {
        method: "POST",
        path: "/devices/{deviceId}/health",
        tag: "Diagnostics",
        summary: "Re-read the monitored values, ping and so on, and wake the device",
        permission: "device.refresh",
      },
    })
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
