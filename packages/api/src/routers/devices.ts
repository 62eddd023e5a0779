import {
  browseParameters,
  DeviceAction,
  DeviceQuery,
  deviceFacets,
  exportDevicesCsv,
  findDevices,
  getDevice,
  getDeviceNetworks,
  listDeviceEvents,
  listDeviceTasks,
  MAX_DEVICES_PER_MOVE,
  moveDevices,
  queueDeviceTask,
  revealParameter,
  searchParameters,
} from "@beacon/domain";
import { z } from "zod";
import { router, tenantProcedure } from "../trpc.ts";

const DeviceId = z.object({ deviceId: z.uuid() });

export const devicesRouter = router({
  list: tenantProcedure.input(DeviceQuery).query(({ ctx, input }) => findDevices(ctx.db, ctx.access, input)),
  facets: tenantProcedure
    .input(z.object({ tenantId: z.uuid().optional() }))
    .query(({ ctx, input }) => deviceFacets(ctx.db, ctx.access, input)),
  exportCsv: tenantProcedure.input(DeviceQuery).query(({ ctx, input }) => exportDevicesCsv(ctx.db, ctx.access, input)),
  get: tenantProcedure.input(DeviceId).query(({ ctx, input }) => getDevice(ctx.db, ctx.access, input.deviceId)),
  parameters: tenantProcedure
    .input(DeviceId.extend({ prefix: z.string().max(1024).default("") }))
    .query(({ ctx, input }) => browseParameters(ctx.db, ctx.access, input)),
  searchParameters: tenantProcedure
    .input(DeviceId.extend({ query: z.string().max(200) }))
    .query(({ ctx, input }) => searchParameters(ctx.db, ctx.access, input)),
  /** A secret parameter's value, for roles that may reveal secrets; audited. */
  revealParameter: tenantProcedure
    .input(DeviceId.extend({ name: z.string().min(1).max(1024) }))
    .mutation(({ ctx, input }) => revealParameter(ctx.db, ctx.access, input)),
  tasks: tenantProcedure.input(DeviceId).query(({ ctx, input }) => listDeviceTasks(ctx.db, ctx.access, input)),
  networks: tenantProcedure.input(DeviceId).query(({ ctx, input }) => getDeviceNetworks(ctx.db, input.deviceId)),
  events: tenantProcedure.input(DeviceId).query(({ ctx, input }) => listDeviceEvents(ctx.db, ctx.access, input)),
  act: tenantProcedure
    .input(DeviceId.extend({ action: DeviceAction }))
    .mutation(({ ctx, input }) => queueDeviceTask(ctx.db, ctx.access, input, ctx.tenancy)),
  move: tenantProcedure
    .input(z.object({ deviceIds: z.array(z.uuid()).min(1).max(MAX_DEVICES_PER_MOVE), tenantId: z.uuid() }))
    .mutation(({ ctx, input }) => moveDevices(ctx.db, ctx.access, input)),
});
