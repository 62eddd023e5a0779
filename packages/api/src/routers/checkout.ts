import {
  type CheckoutView,
  checkoutRoom,
  DomainError,
  getCheckout,
  guestCardLocales,
  listCheckouts,
  permissionsAt,
  type Tenancy,
  type TenantAccess,
} from "@beacon/domain";
import { z } from "zod";
import { Checkout, CheckoutStarted } from "../rest/schemas.ts";
import { router, tenantProcedure } from "../trpc.ts";
import { wakeInBackground } from "../wake-devices.ts";

/** A selection of rooms checked out at once, e.g. a tour group leaving. */
export const MAX_ROOMS_PER_CHECKOUT = 200;

const Limit = z.number().int().min(1).max(500).optional();
const CheckoutList = z.union([
  z.object({ siteId: z.uuid(), limit: Limit }),
  z.object({ roomId: z.uuid(), limit: Limit }),
]);

/** A network name a CPE reports: TR-098 WLANConfiguration.{i}.SSID or TR-181 WiFi.SSID.{i}.SSID. */
const REPORTED_SSID = /\.(WLANConfiguration|WiFi\.SSID)\.\d+\.SSID$/;

const Reboot = z
  .boolean()
  .default(false)
  .meta({ description: "Restart the device once the new settings are in place." });

const CHECKOUT_DESCRIPTION =
  "The answer carries the new passphrase; the checkout is `pending` until the device has run it, then `done` when every network a guest could use took the new passphrase, or `incomplete` naming each network left and why in `networks` and `problem` (follow it with getCheckout, or subscribe to the `checkout.done` and `checkout.incomplete` webhooks).";

/** Passphrases are for the front desk: the people who may check rooms out. */
function shown(view: CheckoutView, access: TenantAccess, domain: { ancestorIds: string[] }) {
  const visible = permissionsAt(access, domain).includes("room.checkout");
  return { ...view, passphrase: visible ? view.passphrase : null };
}

type RoomRef = { roomId: string } | { siteId: string; roomNumber: string };

async function checkOut(ctx: { tenancy: Tenancy; access: TenantAccess }, input: RoomRef & { reboot: boolean }) {
  const target = "roomId" in input ? { roomId: input.roomId } : { domainId: input.siteId };
  const done = await ctx.tenancy.withinReach(ctx.access, target, "room.checkout", async (db) => {
    const result = await checkoutRoom(db, { ...input, actor: ctx.access.actor });
    return { ...(await getCheckout(db, result.checkoutId)), skipped: result.skipped };
  });
  if (done.deviceId) wakeInBackground(ctx, [{ deviceId: done.deviceId, taskId: done.taskIds[0] ?? null }]);
  return done;
}

export const checkoutRouter = router({
  /** A guest leaves: new WiFi passphrase, the room's settings restored, optionally a restart. */
  room: tenantProcedure
    .meta({
      rest: {
        method: "POST",
        path: "/rooms/{roomId}/checkout",
        operationId: "checkoutRoomById",
        tag: "Hotels",
        summary: "Check a room out: a new guest WiFi passphrase, the room's settings restored",
        description: CHECKOUT_DESCRIPTION,
        permission: "room.checkout",
        status: 201,
        response: CheckoutStarted,
      },
    })
    .input(z.object({ roomId: z.uuid(), reboot: Reboot }))
    .mutation(({ ctx, input }) => checkOut(ctx, input)),
  /** For property-management systems, which know room numbers and not Beacon's ids. */
  roomByNumber: tenantProcedure
    .meta({
      rest: {
        method: "POST",
        path: "/sites/{siteId}/rooms/{roomNumber}/checkout",
        operationId: "checkoutRoom",
        tag: "Hotels",
        summary: "Check a room out by its number: a new guest WiFi passphrase, the room's settings restored",
        description: `For property-management systems: the room is named by its number within the site, so no Beacon room ids are needed. ${CHECKOUT_DESCRIPTION}`,
        permission: "room.checkout",
        status: 201,
        response: CheckoutStarted,
      },
    })
    .input(
      z.object({
        siteId: z.uuid().meta({ description: "The site's domain id." }),
        roomNumber: z
          .string()
          .trim()
          .min(1)
          .max(50)
          .meta({ description: 'The room number as the site numbers it, e.g. "101".' }),
        reboot: Reboot,
      }),
    )
    .mutation(({ ctx, input }) => checkOut(ctx, input)),
  /** Several rooms; each succeeds or fails on its own. */
  rooms: tenantProcedure
    .meta({
      rest: {
        method: "POST",
        path: "/checkouts",
        operationId: "checkoutRooms",
        tag: "Hotels",
        summary: "Check several rooms out at once (a group leaving); each succeeds or fails on its own",
        permission: "room.checkout",
        status: 201,
      },
    })
    .input(z.object({ roomIds: z.array(z.uuid()).min(1).max(MAX_ROOMS_PER_CHECKOUT), reboot: Reboot }))
    .mutation(async ({ ctx, input }) => {
      const results = [];
      for (const roomId of new Set(input.roomIds)) {
        try {
          results.push({ roomId, checkout: await checkOut(ctx, { roomId, reboot: input.reboot }), problem: null });
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          results.push({ roomId, checkout: null, problem: error.message });
        }
      }
      return results;
    }),
  get: tenantProcedure
    .meta({
      rest: {
        method: "GET",
        path: "/checkouts/{checkoutId}",
        operationId: "getCheckout",
        tag: "Hotels",
        summary: "A checkout and whether it reached the device",
        permission: "device.read",
        response: Checkout,
      },
    })
    .input(z.object({ checkoutId: z.uuid() }))
    .query(({ ctx, input }) =>
      ctx.tenancy.withinReach(ctx.access, { checkoutId: input.checkoutId }, "device.read", async (db, domain) =>
        shown(await getCheckout(db, input.checkoutId), ctx.access, domain),
      ),
    ),
  list: tenantProcedure
    .meta({
      rest: {
        method: "GET",
        path: "/checkouts",
        operationId: "listCheckouts",
        tag: "Hotels",
        summary: "The checkouts of a site (`siteId`) or of one room (`roomId`), newest first",
        permission: "device.read",
      },
    })
    .input(CheckoutList)
    .query(({ ctx, input }) => {
      const target = "siteId" in input ? { domainId: input.siteId } : { roomId: input.roomId };
      return ctx.tenancy.withinReach(ctx.access, target, "device.read", async (db, domain) =>
        (await listCheckouts(db, input)).map((view) => shown(view, ctx.access, domain)),
      );
    }),
  /** What a guest's WiFi card says: the site, the room, the network names and the passphrase. */
  card: tenantProcedure
    .meta({
      rest: {
        method: "GET",
        path: "/checkouts/{checkoutId}/card",
        tag: "Hotels",
        summary: "What a guest's WiFi card says: the site, the room, the network names and the passphrase",
        permission: "room.checkout",
      },
    })
    .input(z.object({ checkoutId: z.uuid() }))
    .query(async ({ ctx, input }) => {
      const view = await ctx.tenancy.withinReach(ctx.access, { checkoutId: input.checkoutId }, "room.checkout", (db) =>
        getCheckout(db, input.checkoutId),
      );
      const room = await ctx.db.room.findUniqueOrThrow({
        where: { id: view.roomId },
        select: { tenantId: true, tenant: { select: { name: true } } },
      });
      const carried = view.deviceId
        ? await ctx.db.deviceTemplate.findMany({
            where: { deviceId: view.deviceId },
            select: { values: true },
            orderBy: { createdAt: "asc" },
          })
        : [];
      const ssids = new Set<string>();
      for (const row of carried) {
        for (const value of Array.isArray(row.values) ? row.values : []) {
          const v = value as { setting?: unknown; value?: unknown };
          if (typeof v.setting === "string" && /^wifi\.\w+\.ssid$/.test(v.setting) && typeof v.value === "string") {
            ssids.add(v.value);
          }
        }
      }
      if (ssids.size === 0 && view.deviceId) {
        // No template names the networks: the names the device reported are the next best thing.
        const reported = await ctx.db.deviceParameter.findMany({
          where: { deviceId: view.deviceId, name: { endsWith: ".SSID" }, value: { not: "" } },
          select: { name: true, value: true },
          orderBy: { name: "asc" },
        });
        for (const p of reported) if (REPORTED_SSID.test(p.name) && p.value) ssids.add(p.value);
      }
      return {
        siteName: room.tenant.name,
        roomNumber: view.roomNumber,
        ssids: [...ssids],
        passphrase: view.passphrase,
        createdAt: view.createdAt,
        /** The languages the hotel prints its cards in, side by side (the domain's choice; English by default). */
        locales: await guestCardLocales(ctx.db, room.tenantId),
      };
    }),
});
