import {
  type CheckoutView,
  checkoutRoom,
  DomainError,
  getCheckout,
  listCheckouts,
  permissionsAt,
  type TenantAccess,
} from "@beacon/domain";
import { z } from "zod";
import { type ReachContext, reach, wakeInBackground } from "../reach.ts";
import { router, tenantProcedure } from "../trpc.ts";

/** A selection of rooms checked out at once, e.g. a tour group leaving. */
export const MAX_ROOMS_PER_CHECKOUT = 200;

const CheckoutList = z.union([
  z.object({ siteId: z.uuid(), limit: z.number().int().min(1).max(500).optional() }),
  z.object({ roomId: z.uuid(), limit: z.number().int().min(1).max(500).optional() }),
]);

/** Passphrases are for the front desk: people who may check rooms out. */
function shown(view: CheckoutView, access: TenantAccess, tenant: { ancestorIds: string[] }) {
  const passphraseVisible = permissionsAt(access, tenant).includes("room.checkout");
  return { ...view, passphrase: passphraseVisible ? view.passphrase : null };
}

async function checkOut(ctx: ReachContext, input: { roomId: string; reboot: boolean }) {
  const { db } = await reach(ctx, { roomId: input.roomId }, "room.checkout");
  const result = await checkoutRoom(db, { roomId: input.roomId, reboot: input.reboot, actor: ctx.access.actor });
  const view = await getCheckout(db, result.checkoutId);
  if (view.deviceId) wakeInBackground(db, [{ deviceId: view.deviceId, taskId: result.taskIds[0] ?? null }]);
  return { ...view, skipped: result.skipped };
}

export const checkoutRouter = router({
  /** A guest leaves: new WiFi passphrase, the room's settings restored, optionally a restart. */
  room: tenantProcedure
    .input(z.object({ roomId: z.uuid(), reboot: z.boolean().default(false) }))
    .mutation(({ ctx, input }) => checkOut(ctx, input)),
  /** Several rooms; each succeeds or fails on its own. */
  rooms: tenantProcedure
    .input(
      z.object({ roomIds: z.array(z.uuid()).min(1).max(MAX_ROOMS_PER_CHECKOUT), reboot: z.boolean().default(false) }),
    )
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
  get: tenantProcedure.input(z.object({ checkoutId: z.uuid() })).query(async ({ ctx, input }) => {
    const { db, tenant } = await reach(ctx, { checkoutId: input.checkoutId }, "device.read");
    return shown(await getCheckout(db, input.checkoutId), ctx.access, tenant);
  }),
  list: tenantProcedure.input(CheckoutList).query(async ({ ctx, input }) => {
    const target = "siteId" in input ? { domainId: input.siteId } : { roomId: input.roomId };
    const { db, tenant } = await reach(ctx, target, "device.read");
    const checkouts = await listCheckouts(db, input);
    return checkouts.map((view) => shown(view, ctx.access, tenant));
  }),
  /** What a guest's WiFi card says: the site, the room, the network names and the passphrase. */
  card: tenantProcedure.input(z.object({ checkoutId: z.uuid() })).query(async ({ ctx, input }) => {
    const { db, tenant } = await reach(ctx, { checkoutId: input.checkoutId }, "room.checkout");
    const view = await getCheckout(db, input.checkoutId);
    const site = await ctx.db.tenant.findUniqueOrThrow({ where: { id: tenant.id }, select: { name: true } });
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
    return {
      siteName: site.name,
      roomNumber: view.roomNumber,
      ssids: [...ssids],
      passphrase: view.passphrase,
      createdAt: view.createdAt,
    };
  }),
});
