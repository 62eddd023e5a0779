import { acknowledgeAlarm, listAlarmPage } from "@beacon/domain";
import { z } from "zod";
import { router, tenantProcedure } from "../trpc.ts";

/** Open: active and nobody on it yet; acknowledged: active and someone is; cleared: the condition has gone. */
export const AlarmListQuery = z.object({
  tenantId: z.uuid(),
  deviceId: z.uuid().optional(),
  state: z.enum(["open", "acknowledged", "cleared"]).optional(),
  severity: z.enum(["warning", "minor", "major", "critical"]).optional(),
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(200).default(50),
});

const STATE_FILTERS = {
  open: { state: "active", acknowledged: false },
  acknowledged: { state: "active", acknowledged: true },
  cleared: { state: "cleared" },
} as const;

export const alarmsRouter = router({
  list: tenantProcedure
    .meta({
      rest: {
        method: "GET",
        path: "/alarms",
        tag: "Alarms",
        summary: "A domain's alarms (open by default), a page at a time",
        permission: "device.read",
      },
    })
    .input(AlarmListQuery)
    .query(({ ctx, input }) => {
      const { state, severity, ...rest } = input;
      return ctx.tenancy.withinReach(ctx.access, { domainId: input.tenantId }, "device.read", (db) =>
        listAlarmPage(db, {
          ...rest,
          ...(state ? STATE_FILTERS[state] : { state: "active" }),
          ...(severity ? { severities: [severity] } : {}),
        }),
      );
    }),
  acknowledge: tenantProcedure
    .meta({
      rest: {
        method: "POST",
        path: "/alarms/{alarmId}/acknowledge",
        tag: "Alarms",
        summary: "Acknowledge an alarm: someone is on it",
        permission: "alarm.acknowledge",
      },
    })
    .input(z.object({ alarmId: z.uuid() }))
    .mutation(({ ctx, input }) =>
      ctx.tenancy.withinReach(ctx.access, { alarmId: input.alarmId }, "alarm.acknowledge", (db) =>
        acknowledgeAlarm(db, input.alarmId, ctx.access.actor),
      ),
    ),
});
