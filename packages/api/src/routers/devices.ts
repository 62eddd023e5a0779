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
  revealRoomPassphrase,
  searchParameters,
  setDeviceTags,
} from "@beacon/domain";
import { z } from "zod";
import {
  DeviceDetail,
  DeviceEventList,
  DevicePage,
  ParameterList,
  ParameterSearch,
  RoomPassphrase,
  TaskCreated,
  TaskList,
} from "../rest/schemas.ts";
import { router, tenantProcedure } from "../trpc.ts";

const DeviceId = z.object({ deviceId: z.uuid() });
const History = DeviceId.extend({
  limit: z.number().int().min(1).max(500).default(100).meta({ description: "At most this many, newest first." }),
});

export const devicesRouter = router({
  list: tenantProcedure
    .meta({
      rest: {
        method: "GET",
        path: "/devices",
        operationId: "listDevices",
        tag: "Devices",
        summary: "Search and list devices, a page at a time",
        description:
          "Devices the token reaches, or of the domain `tenantId` and below. `total` counts every match; ask for the next `page` until `page * pageSize >= total`.",
        permission: "device.read",
        response: DevicePage,
      },
    })
    .input(DeviceQuery)
    .query(({ ctx, input }) => findDevices(ctx.db, ctx.access, input, { exactTotal: Boolean(ctx.apiToken) })),
  facets: tenantProcedure
    .meta({
      rest: {
        method: "GET",
        path: "/devices/facets",
        tag: "Devices",
        summary: "The models, firmware versions and states of the devices, with counts, to filter the list by",
        permission: "device.read",
      },
    })
    .input(z.object({ tenantId: z.uuid().optional() }))
    .query(({ ctx, input }) => deviceFacets(ctx.db, ctx.access, input)),
  exportCsv: tenantProcedure
    .meta({
      rest: {
        method: "GET",
        path: "/devices/export",
        tag: "Devices",
        summary: "The devices list as CSV text, for spreadsheets",
        permission: "device.read",
      },
    })
    .input(DeviceQuery)
    .query(({ ctx, input }) => exportDevicesCsv(ctx.db, ctx.access, input)),
  get: tenantProcedure
    .meta({
      rest: {
        method: "GET",
        path: "/devices/{deviceId}",
        operationId: "getDevice",
        tag: "Devices",
        summary: "One device",
        permission: "device.read",
        response: DeviceDetail,
      },
    })
    .input(DeviceId)
    .query(({ ctx, input }) => getDevice(ctx.db, ctx.access, input.deviceId)),
  parameters: tenantProcedure
    .meta({
      rest: {
        method: "GET",
        path: "/devices/{deviceId}/parameters",
        operationId: "listDeviceParameters",
        tag: "Devices",
        summary: "One level of a device's parameter tree, as last reported",
        description:
          "The direct children of `prefix` (objects end with a dot; list them again with that prefix). Passwords, passphrases and keys are masked.",
        permission: "device.read",
        response: ParameterList,
      },
    })
    .input(
      DeviceId.extend({
        prefix: z
          .string()
          .max(1024)
          .default("")
          .meta({ description: 'The object whose direct children to list, e.g. "Device.WiFi."; empty for the roots.' }),
      }),
    )
    .query(({ ctx, input }) => browseParameters(ctx.db, ctx.access, input)),
  searchParameters: tenantProcedure
    .meta({
      rest: {
        method: "GET",
        path: "/devices/{deviceId}/parameters/search",
        operationId: "searchDeviceParameters",
        tag: "Devices",
        summary: "A device's leaf parameters whose name or value contains `query`",
        permission: "device.read",
        response: ParameterSearch,
      },
    })
    .input(DeviceId.extend({ query: z.string().max(200) }))
    .query(({ ctx, input }) => searchParameters(ctx.db, ctx.access, input)),
  /** A secret parameter's value, for roles that may reveal secrets; audited. */
  revealParameter: tenantProcedure
    .meta({
      rest: {
        method: "POST",
        path: "/devices/{deviceId}/parameters/reveal",
        tag: "Devices",
        summary: "A secret parameter's value in clear; audited",
        permission: "secret.reveal",
      },
    })
    .input(DeviceId.extend({ name: z.string().min(1).max(1024) }))
    .mutation(({ ctx, input }) => revealParameter(ctx.db, ctx.access, input)),
  /** The guest passphrase of the room the device serves, for roles that may reveal secrets; audited. */
  revealRoomPassphrase: tenantProcedure
    .meta({
      rest: {
        method: "POST",
        path: "/devices/{deviceId}/room/passphrase/reveal",
        tag: "Devices",
        summary: "The guest WiFi passphrase of the device's room in clear; audited",
        permission: "secret.reveal",
        response: RoomPassphrase,
      },
    })
    .input(DeviceId)
    .mutation(({ ctx, input }) => revealRoomPassphrase(ctx.db, ctx.access, input)),
  tasks: tenantProcedure
    .meta({
      rest: {
        method: "GET",
        path: "/devices/{deviceId}/tasks",
        operationId: "listDeviceTasks",
        tag: "Tasks",
        summary: "A device's tasks, newest first",
        permission: "device.read",
        response: TaskList,
      },
    })
    .input(History)
    .query(({ ctx, input }) => listDeviceTasks(ctx.db, ctx.access, input)),
  networks: tenantProcedure
    .meta({
      rest: {
        method: "GET",
        path: "/devices/{deviceId}/networks",
        tag: "Devices",
        summary: "A device's WiFi networks: band, role, name and the clients on each",
        permission: "device.read",
      },
    })
    .input(DeviceId)
    .query(({ ctx, input }) => getDeviceNetworks(ctx.db, input.deviceId)),
  events: tenantProcedure
    .meta({
      rest: {
        method: "GET",
        path: "/devices/{deviceId}/events",
        operationId: "listDeviceEvents",
        tag: "Devices",
        summary: "The CWMP events a device reported (boot, periodic, value change ...), newest first",
        permission: "device.read",
        response: DeviceEventList,
      },
    })
    .input(History)
    .query(({ ctx, input }) => listDeviceEvents(ctx.db, ctx.access, input)),
  act: tenantProcedure
    .meta({
      rest: {
        method: "POST",
        path: "/devices/{deviceId}/tasks",
        operationId: "createDeviceTask",
        tag: "Tasks",
        summary: "Queue a reboot, a parameter refresh, new parameter values or a factory reset",
        description:
          "The body is the action. The device is asked to connect at once (a connection request); if it cannot be reached the task waits for its next periodic Inform. `setParameterValues` takes only parameters the device reported as writable. Follow the task in the device's task list.",
        needs: "device.reboot, device.refresh, device.setParameter or device.factoryReset, by kind",
        status: 201,
        bodyField: "action",
        response: TaskCreated,
      },
    })
    .input(DeviceId.extend({ action: DeviceAction }))
    .mutation(({ ctx, input }) => queueDeviceTask(ctx.db, ctx.access, input, ctx.tenancy)),
  move: tenantProcedure
    .meta({
      rest: {
        method: "POST",
        path: "/devices/move",
        operationId: "moveDevices",
        tag: "Devices",
        summary: "Move devices to another domain",
        permission: "device.move",
      },
    })
    .input(z.object({ deviceIds: z.array(z.uuid()).min(1).max(MAX_DEVICES_PER_MOVE), tenantId: z.uuid() }))
    .mutation(({ ctx, input }) => moveDevices(ctx.db, ctx.access, input)),
  setTags: tenantProcedure
    .meta({
      rest: {
        method: "POST",
        path: "/devices/{deviceId}/tags",
        operationId: "setDeviceTags",
        tag: "Devices",
        summary: "Replace a device's tags (words to target it by, e.g. in a firmware campaign)",
        permission: "device.setParameter",
      },
    })
    .input(DeviceId.extend({ tags: z.array(z.string()).max(50) }))
    .mutation(({ ctx, input }) =>
      ctx.tenancy.withinReach(ctx.access, { deviceId: input.deviceId }, "device.setParameter", (db) =>
        setDeviceTags(db, input.deviceId, input.tags, ctx.access.actor),
      ),
    ),
});
