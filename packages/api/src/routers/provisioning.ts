import type { Db } from "@beacon/db";
import {
  claimDevice,
  createEnrollmentCredential,
  createLine,
  createSubscriber,
  domainEnrollment,
  endLineContract,
  getTemplate,
  importAssignmentsCsv,
  listReenrollRequests,
  listUnassignedDevices,
  NotFound,
  preRegisterDevice,
  type ReachedDomain,
  readmitDevice,
  rootTenantIds,
  searchSubscribers,
  setAutoReadmit,
} from "@beacon/domain";
import { z } from "zod";
import { router, tenantProcedure } from "../trpc.ts";
import { wakeInBackground } from "../wake-devices.ts";
import { MAX_CSV_CHARACTERS } from "./sites.ts";

const Limit = z.number().int().min(1).max(500).optional();

const Identifiers = {
  serialNumber: z.string().max(64).optional(),
  macAddress: z.string().max(32).optional(),
  loid: z.string().max(64).optional(),
};

/** A room or a subscriber's line, never both. */
const Place = z.union([z.object({ roomId: z.uuid() }), z.object({ lineId: z.uuid() })]);

/**
 * Templates named for an assignment must serve its domain. One that does not is answered like one that does not
 * exist, since it may belong to a domain out of the user's reach.
 */
async function checkTemplates(db: Db, domain: ReachedDomain, templateIds: readonly string[] = []): Promise<void> {
  for (const id of new Set(templateIds)) {
    const template = await getTemplate(db, id);
    if (!domain.ancestorIds.includes(template.tenantId)) throw new NotFound("template");
  }
}

function placeOf(place: z.output<typeof Place>) {
  return "roomId" in place ? { roomId: place.roomId } : { lineId: place.lineId };
}

export const provisioningRouter = router({
  /** Devices that have informed but belong to no room or line yet, newest contact first. */
  unassigned: tenantProcedure
    .meta({
      rest: {
        method: "GET",
        path: "/domains/{tenantId}/unassigned-devices",
        tag: "Provisioning",
        summary: "Devices that have informed but belong to no room or line yet (the inbox)",
        permission: "device.read",
      },
    })
    .input(z.object({ tenantId: z.uuid(), limit: Limit }))
    .query(({ ctx, input }) =>
      ctx.tenancy.withinReach(ctx.access, { domainId: input.tenantId }, "device.read", (db) =>
        listUnassignedDevices(db, input),
      ),
    ),
  /** The domain's own CPE enrollment credential (its username; the password is shown only when made). */
  enrollment: tenantProcedure
    .meta({
      rest: {
        method: "GET",
        path: "/domains/{tenantId}/enrollment",
        tag: "Provisioning",
        summary: "The domain's CPE enrollment credential (its username only)",
        permission: "provisioning.manage",
      },
    })
    .input(z.object({ tenantId: z.uuid() }))
    .query(({ ctx, input }) =>
      ctx.tenancy.withinReach(ctx.access, { domainId: input.tenantId }, "provisioning.manage", (db) =>
        domainEnrollment(db, input.tenantId),
      ),
    ),
  /** Makes or replaces the domain's enrollment credential; the answer is the only time the password is shown. */
  createEnrollment: tenantProcedure
    .meta({
      rest: {
        method: "POST",
        path: "/domains/{tenantId}/enrollment",
        tag: "Provisioning",
        summary: "Make or replace the domain's CPE enrollment credential; the password is in this answer only",
        permission: "provisioning.manage",
        status: 201,
      },
    })
    .input(z.object({ tenantId: z.uuid() }))
    .mutation(({ ctx, input }) =>
      ctx.tenancy.withinReach(ctx.access, { domainId: input.tenantId }, "provisioning.manage", (db) =>
        createEnrollmentCredential(db, input.tenantId, ctx.access.actor),
      ),
    ),
  setAutoReadmit: tenantProcedure
    .meta({
      rest: {
        method: "POST",
        path: "/domains/{tenantId}/auto-readmit",
        tag: "Provisioning",
        summary: "Re-admit factory-reset devices of the domain without asking",
        permission: "tenant.manage",
      },
    })
    .input(z.object({ tenantId: z.uuid(), autoReadmit: z.boolean() }))
    .mutation(({ ctx, input }) =>
      ctx.tenancy.withinReach(ctx.access, { domainId: input.tenantId }, "tenant.manage", (db) =>
        setAutoReadmit(db, input.tenantId, input.autoReadmit, ctx.access.actor),
      ),
    ),
  /** Devices that came back from a factory reset on a bootstrap credential and wait to be re-admitted. */
  reenrollRequests: tenantProcedure
    .meta({
      rest: {
        method: "GET",
        path: "/domains/{tenantId}/reenroll-requests",
        tag: "Provisioning",
        summary: "Devices back from a factory reset that wait to be re-admitted",
        permission: "device.read",
      },
    })
    .input(z.object({ tenantId: z.uuid() }))
    .query(({ ctx, input }) =>
      ctx.tenancy.withinReach(ctx.access, { domainId: input.tenantId }, "device.read", (db) =>
        listReenrollRequests(db, input),
      ),
    ),
  /** One click: the held device's next Inform is admitted and given new credentials. */
  readmit: tenantProcedure
    .meta({
      rest: {
        method: "POST",
        path: "/devices/{deviceId}/readmit",
        tag: "Provisioning",
        summary: "Re-admit a held device at its next Inform",
        permission: "provisioning.manage",
      },
    })
    .input(z.object({ deviceId: z.uuid() }))
    .mutation(({ ctx, input }) =>
      ctx.tenancy.withinReach(ctx.access, { deviceId: input.deviceId }, "provisioning.manage", (db) =>
        readmitDevice(db, input.deviceId, ctx.access.actor),
      ),
    ),
  /** Takes a device from the inbox into a room or onto a line, provisions it and wakes it. */
  claim: tenantProcedure
    .meta({
      rest: {
        method: "POST",
        path: "/devices/{deviceId}/claim",
        operationId: "claimDevice",
        tag: "Provisioning",
        summary: "Take a device from the inbox into a room or onto a line, provision it and wake it",
        permission: "provisioning.manage",
      },
    })
    .input(
      z.object({
        deviceId: z.uuid(),
        place: Place,
        templateIds: z.array(z.uuid()).max(20).optional(),
        replace: z.boolean().optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const place = placeOf(input.place);
      // Both ends must be within reach: the device and the room or line it goes to.
      await ctx.tenancy.withinReach(ctx.access, place, "provisioning.manage", (db, domain) =>
        checkTemplates(db, domain, input.templateIds),
      );
      const outcome = await ctx.tenancy.withinReach(
        ctx.access,
        { deviceId: input.deviceId },
        "provisioning.manage",
        (db) =>
          claimDevice(
            db,
            { deviceId: input.deviceId, ...place, templateIds: input.templateIds, replace: input.replace },
            ctx.access.actor,
          ),
      );
      wakeInBackground(ctx, [{ deviceId: input.deviceId, taskId: "taskId" in outcome ? outcome.taskId : null }]);
      return outcome;
    }),
  /** "The device with this serial, MAC or LOID belongs in room 101 / on line 1 of subscriber S-7." */
  preRegister: tenantProcedure
    .meta({
      rest: {
        method: "POST",
        path: "/pre-registrations",
        operationId: "preRegisterDevice",
        tag: "Provisioning",
        summary:
          "Say that the device with this serial, MAC or LOID belongs in a room or on a line; it is provisioned when it first informs",
        permission: "provisioning.manage",
        status: 201,
      },
    })
    .input(
      z.object({
        place: Place,
        ...Identifiers,
        templateIds: z.array(z.uuid()).max(20).optional(),
        replace: z.boolean(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { place, ...request } = input;
      const made = await ctx.tenancy.withinReach(
        ctx.access,
        placeOf(place),
        "provisioning.manage",
        async (db, domain) => {
          await checkTemplates(db, domain, request.templateIds);
          return preRegisterDevice(
            db,
            { ...request, ...placeOf(place), reach: rootTenantIds(ctx.access) },
            ctx.access.actor,
          );
        },
      );
      const provisioned = made.provisioned;
      if (made.assignment.deviceId && provisioned && "taskId" in provisioned) {
        wakeInBackground(ctx, [{ deviceId: made.assignment.deviceId, taskId: provisioned.taskId }]);
      }
      return { assignmentId: made.assignment.id, state: made.assignment.state, provisioned: provisioned?.kind ?? null };
    }),
  /** Pre-registrations by spreadsheet (rooms of several sites, subscriber lines); a dry run changes nothing. */
  importCsv: tenantProcedure
    .meta({
      rest: {
        method: "POST",
        path: "/domains/{tenantId}/pre-registrations/import",
        tag: "Provisioning",
        summary: "Pre-registrations from CSV text (rooms of several sites, subscriber lines); `dryRun` changes nothing",
        permission: "provisioning.manage",
      },
    })
    .input(z.object({ tenantId: z.uuid(), csv: z.string().max(MAX_CSV_CHARACTERS), dryRun: z.boolean() }))
    .mutation(({ ctx, input }) =>
      ctx.tenancy.withinReach(ctx.access, { domainId: input.tenantId }, "provisioning.manage", (db) =>
        importAssignmentsCsv(db, { ...input, actor: ctx.access.actor, reach: rootTenantIds(ctx.access) }),
      ),
    ),
  /** Subscribers whose id, name or address, or whose line's LOID, SLID, plan or phone number contains the query. */
  subscribers: tenantProcedure
    .meta({
      rest: {
        method: "GET",
        path: "/domains/{tenantId}/subscribers",
        tag: "Subscribers",
        summary: "Search a domain's subscribers and their lines",
        permission: "device.read",
      },
    })
    .input(z.object({ tenantId: z.uuid(), query: z.string().max(200), limit: Limit }))
    .query(({ ctx, input }) =>
      ctx.tenancy.withinReach(ctx.access, { domainId: input.tenantId }, "device.read", (db) =>
        searchSubscribers(db, input),
      ),
    ),
  createSubscriber: tenantProcedure
    .meta({
      rest: {
        method: "POST",
        path: "/domains/{tenantId}/subscribers",
        tag: "Subscribers",
        summary: "Add a subscriber",
        permission: "provisioning.manage",
        status: 201,
      },
    })
    .input(
      z.object({
        tenantId: z.uuid(),
        externalId: z.string().max(64),
        name: z.string().max(200).optional(),
        address: z.string().max(500).optional(),
      }),
    )
    .mutation(({ ctx, input }) =>
      ctx.tenancy.withinReach(ctx.access, { domainId: input.tenantId }, "provisioning.manage", async (db) => {
        const subscriber = await createSubscriber(db, input);
        return { id: subscriber.id, externalId: subscriber.externalId };
      }),
    ),
  createLine: tenantProcedure
    .meta({
      rest: {
        method: "POST",
        path: "/subscribers/{subscriberId}/lines",
        tag: "Subscribers",
        summary: "Add a line to a subscriber",
        permission: "provisioning.manage",
        status: 201,
      },
    })
    .input(
      z.object({
        subscriberId: z.uuid(),
        number: z.string().max(16).optional(),
        loid: z.string().max(64).optional(),
        slid: z.string().max(64).optional(),
        servicePlan: z.string().max(100).optional(),
        phoneNumber: z.string().max(32).optional(),
      }),
    )
    .mutation(({ ctx, input }) =>
      ctx.tenancy.withinReach(ctx.access, { subscriberId: input.subscriberId }, "provisioning.manage", async (db) => {
        const line = await createLine(db, input);
        return { id: line.id, number: line.number };
      }),
    ),
  /** The contract ends: the line's device is factory reset and released, and the line closed. */
  endContract: tenantProcedure
    .meta({
      rest: {
        method: "POST",
        path: "/lines/{lineId}/end-contract",
        tag: "Subscribers",
        summary: "End a line's contract: its device is factory reset and released",
        permission: "provisioning.manage",
      },
    })
    .input(z.object({ lineId: z.uuid(), factoryReset: z.boolean().default(true) }))
    .mutation(async ({ ctx, input }) => {
      const ended = await ctx.tenancy.withinReach(ctx.access, { lineId: input.lineId }, "provisioning.manage", (db) =>
        endLineContract(db, input, ctx.access.actor),
      );
      if (ended.released?.deviceId) {
        wakeInBackground(ctx, [{ deviceId: ended.released.deviceId, taskId: ended.taskId }]);
      }
      return { lineId: ended.lineId, factoryResetQueued: ended.taskId !== null };
    }),
});
