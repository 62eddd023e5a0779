import {
  type CheckoutView,
  checkoutRoom,
  DomainError,
  getCheckout,
  listCheckouts,
  permissionsAt,
  type Tenancy,
  type TenantAccess,
} from "@beacon/domain";
import { z } from "zod";
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

/** Passphrases are for the front desk: the people who may check rooms out. */
function shown(view: CheckoutView, access: TenantAccess, domain: { ancestorIds: string[] }) {
  const visible = permissionsAt(access, domain).includes("room.checkout");
  return { ...view, passphrase: visible ? view.passphrase : null };
}

async function checkOut(ctx: { tenancy: Tenancy; access: TenantAccess }, input: { roomId: string; reboot: boolean }) {
  const done = await ctx.tenancy.withinReach(ctx.access, { roomId: input.roomId }, "room.checkout", async (db) => {
    const result = await checkoutRoom(db, { roomId: input.roomId, reboot: input.reboot, actor: ctx.access.actor });
    return { ...(await getCheckout(db, result.checkoutId)), skipped: result.skipped };
  });
  if (done.deviceId) wakeInBackground(ctx, [{ deviceId: done.deviceId, taskId: done.taskIds[0] ?? null }]);
  return done;
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
  get: tenantProcedure
    .input(z.object({ checkoutId: z.uuid() }))
    .query(({ ctx, input }) =>
      ctx.tenancy.withinReach(ctx.access, { checkoutId: input.checkoutId }, "device.read", async (db, domain) =>
        shown(await getCheckout(db, input.checkoutId), ctx.access, domain),
      ),
    ),
  list: tenantProcedure.input(CheckoutList).query(({ ctx, input }) => {
    const target = "siteId" in input ? { domainId: input.siteId } : { roomId: input.roomId };
    return ctx.tenancy.withinReach(ctx.access, target, "device.read", async (db, domain) =>
      (await listCheckouts(db, input)).map((view) => shown(view, ctx.access, domain)),
    );
  }),
  /** What a guest's WiFi card says: the site, the room, the network names and the passphrase. */
  card: tenantProcedure.input(z.object({ checkoutId: z.uuid() })).query(async ({ ctx, input }) => {
    const view = await ctx.tenancy.withinReach(ctx.access, { checkoutId: input.checkoutId }, "room.checkout", (db) =>
      getCheckout(db, input.checkoutId),
    );
    const room = await ctx.db.room.findUniqueOrThrow({
      where: { id: view.roomId },
      select: { tenant: { select: { name: true } } },
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
    };
  }),
});
