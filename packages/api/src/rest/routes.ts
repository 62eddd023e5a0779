import {
  browseParameters,
  type CheckoutView,
  checkoutRoom,
  findDevices,
  getCheckout,
  getDevice,
  getDomain,
  listAuditEvents,
  listDeviceEvents,
  listDeviceTasks,
  listDomains,
  permissionsAt,
  queueDeviceTask,
  searchParameters,
  type TenantAccess,
} from "@beacon/domain";
import { wakeInBackground } from "../wake-devices.ts";
import { type RestRoute, route } from "./route.ts";
import {
  AuditListQuery,
  AuditPage,
  Checkout,
  CheckoutIdParams,
  CheckoutRequest,
  CheckoutStarted,
  DeviceDetail,
  DeviceEventList,
  DeviceIdParams,
  DeviceListQuery,
  DevicePage,
  DomainDetail,
  DomainIdParams,
  DomainList,
  DomainListQuery,
  HistoryQuery,
  NewTask,
  ParameterList,
  ParameterQuery,
  RoomParams,
  TaskCreated,
  TaskList,
  TokenInfo,
} from "./schemas.ts";

/** Passphrases are for the front desk: tokens whose role may check rooms out, as in the console. */
function shown(view: CheckoutView, access: TenantAccess, domain: { ancestorIds: string[] }) {
  const visible = permissionsAt(access, domain).includes("room.checkout");
  return { ...view, passphrase: visible ? view.passphrase : null };
}

/**
 * The REST API's operations: each parses its input, calls the domain function the console's tRPC procedure calls,
 * and answers. The tenant scope and the roles apply exactly as they do in the console.
 */
export const REST_ROUTES: readonly RestRoute[] = [
  route({
    method: "GET",
    path: "/token",
    operationId: "getToken",
    tag: "Token",
    summary: "The calling token: its domain, the role it acts with and when it expires",
    response: TokenInfo,
    handle: async (ctx) => ({
      prefix: ctx.token.prefix,
      name: ctx.token.name,
      role: ctx.token.role,
      domain: await getDomain(ctx.db, ctx.access, ctx.token.tenantId),
      expiresAt: ctx.token.expiresAt,
    }),
  }),
  route({
    method: "GET",
    path: "/domains",
    operationId: "listDomains",
    tag: "Domains",
    summary: "The token's domain and the domains below it, in tree order",
    query: DomainListQuery,
    response: DomainList,
    permission: "tenant.read",
    handle: async (ctx, { query }) => ({ domains: await listDomains(ctx.db, ctx.access, query) }),
  }),
  route({
    method: "GET",
    path: "/domains/{domainId}",
    operationId: "getDomain",
    tag: "Domains",
    summary: "One domain",
    params: DomainIdParams,
    response: DomainDetail,
    permission: "tenant.read",
    handle: (ctx, { params }) => getDomain(ctx.db, ctx.access, params.domainId),
  }),
  route({
    method: "GET",
    path: "/devices",
    operationId: "listDevices",
    tag: "Devices",
    summary: "Search and list devices, a page at a time",
    description:
      "Devices of the token's domain and below, or of `domainId` and below. `total` counts every match; ask for the next `page` until `page * pageSize >= total`.",
    query: DeviceListQuery,
    response: DevicePage,
    permission: "device.read",
    handle: (ctx, { query: { domainId, ...query } }) =>
      findDevices(ctx.db, ctx.access, { ...query, tenantId: domainId }, { exactTotal: true }),
  }),
  route({
    method: "GET",
    path: "/devices/{deviceId}",
    operationId: "getDevice",
    tag: "Devices",
    summary: "One device",
    params: DeviceIdParams,
    response: DeviceDetail,
    permission: "device.read",
    handle: (ctx, { params }) => getDevice(ctx.db, ctx.access, params.deviceId),
  }),
  route({
    method: "GET",
    path: "/devices/{deviceId}/parameters",
    operationId: "listDeviceParameters",
    tag: "Devices",
    summary: "A device's parameters as last reported: one level of the tree, or a search",
    description:
      "Without `search`: the direct children of `prefix` (objects end with a dot; list them again with that prefix). With `search`: leaf parameters whose name or value contains it.",
    params: DeviceIdParams,
    query: ParameterQuery,
    response: ParameterList,
    permission: "device.read",
    handle: async (ctx, { params, query }) => {
      if (query.search !== undefined) {
        const found = await searchParameters(ctx.db, ctx.access, { deviceId: params.deviceId, query: query.search });
        return { parameters: found.matches, truncated: found.truncated };
      }
      const parameters = await browseParameters(ctx.db, ctx.access, {
        deviceId: params.deviceId,
        prefix: query.prefix,
      });
      return { parameters, truncated: false };
    },
  }),
  route({
    method: "GET",
    path: "/devices/{deviceId}/tasks",
    operationId: "listDeviceTasks",
    tag: "Tasks",
    summary: "A device's tasks, newest first",
    params: DeviceIdParams,
    query: HistoryQuery,
    response: TaskList,
    permission: "device.read",
    handle: async (ctx, { params, query }) => ({
      tasks: await listDeviceTasks(ctx.db, ctx.access, { deviceId: params.deviceId, limit: query.limit }),
    }),
  }),
  route({
    method: "POST",
    path: "/devices/{deviceId}/tasks",
    operationId: "createDeviceTask",
    tag: "Tasks",
    summary: "Queue a reboot, a parameter refresh, new parameter values or a factory reset",
    description:
      "The device is asked to connect at once (a connection request); if it cannot be reached the task waits for its next periodic Inform. `setParameterValues` takes only parameters the device reported as writable. Follow the task in the device's task list.",
    params: DeviceIdParams,
    body: NewTask,
    status: 201,
    response: TaskCreated,
    needs: "device.reboot, device.refresh, device.setParameter or device.factoryReset, by kind",
    handle: (ctx, { params, body }) =>
      queueDeviceTask(ctx.db, ctx.access, { deviceId: params.deviceId, action: body }, ctx.tenancy),
  }),
  route({
    method: "GET",
    path: "/devices/{deviceId}/events",
    operationId: "listDeviceEvents",
    tag: "Devices",
    summary: "The CWMP events a device reported (boot, periodic, value change ...), newest first",
    params: DeviceIdParams,
    query: HistoryQuery,
    response: DeviceEventList,
    permission: "device.read",
    handle: async (ctx, { params, query }) => ({
      events: await listDeviceEvents(ctx.db, ctx.access, { deviceId: params.deviceId, limit: query.limit }),
    }),
  }),
  route({
    method: "GET",
    path: "/audit",
    operationId: "listAuditEvents",
    tag: "Audit",
    summary: "The audit log of a domain and the domains below it, newest first, a page at a time",
    description: 'Calls made with API tokens appear with the actor "token:<prefix>".',
    query: AuditListQuery,
    response: AuditPage,
    permission: "audit.read",
    handle: (ctx, { query: { domainId, ...query } }) =>
      listAuditEvents(ctx.db, ctx.access, { ...query, tenantId: domainId }),
  }),
  route({
    method: "POST",
    path: "/sites/{siteId}/rooms/{roomNumber}/checkout",
    operationId: "checkoutRoom",
    tag: "Hotels",
    summary: "Check a room out: a new guest WiFi passphrase, the room's settings restored",
    description:
      "For property-management systems: the room is named by its number within the site, so no Beacon room ids are needed. The answer carries the new passphrase; the checkout is `pending` until the device has run it, then `done` when every network a guest could use took the new passphrase, or `incomplete` naming each network left and why in `networks` and `problem` (follow it with getCheckout, or subscribe to the `checkout.done` and `checkout.incomplete` webhooks).",
    params: RoomParams,
    body: CheckoutRequest,
    status: 201,
    response: CheckoutStarted,
    permission: "room.checkout",
    handle: async (ctx, { params, body }) => {
      const done = await ctx.tenancy.withinReach(
        ctx.access,
        { domainId: params.siteId },
        "room.checkout",
        async (db) => {
          const result = await checkoutRoom(db, {
            siteId: params.siteId,
            roomNumber: params.roomNumber,
            reboot: body.reboot,
            actor: ctx.access.actor,
          });
          return { ...(await getCheckout(db, result.checkoutId)), skipped: result.skipped };
        },
      );
      if (done.deviceId) wakeInBackground(ctx, [{ deviceId: done.deviceId, taskId: done.taskIds[0] ?? null }]);
      return done;
    },
  }),
  route({
    method: "GET",
    path: "/checkouts/{checkoutId}",
    operationId: "getCheckout",
    tag: "Hotels",
    summary: "A checkout and whether it reached the device",
    params: CheckoutIdParams,
    response: Checkout,
    permission: "device.read",
    handle: (ctx, { params }) =>
      ctx.tenancy.withinReach(ctx.access, { checkoutId: params.checkoutId }, "device.read", async (db, domain) =>
        shown(await getCheckout(db, params.checkoutId), ctx.access, domain),
      ),
  }),
];
