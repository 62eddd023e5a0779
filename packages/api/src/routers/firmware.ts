import { CampaignDeviceState, FirmwareCampaignState } from "@beacon/db";
import {
  advanceCampaign,
  CampaignInput,
  campaignProgress,
  cancelCampaign,
  createCampaign,
  listCampaignDevices,
  listCampaigns,
  listDeviceTags,
  listFirmware,
  pauseCampaign,
  previewCampaign,
  resumeCampaign,
} from "@beacon/domain";
import { z } from "zod";
import { router, tenantProcedure } from "../trpc.ts";
import { wakeInBackground } from "../wake-devices.ts";

const Page = {
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(200).default(25),
};
const CampaignId = z.object({ campaignId: z.uuid() });
const CampaignState = z.enum(FirmwareCampaignState);
const DeviceState = z.enum(CampaignDeviceState);

/**
 * The firmware library and its campaigns. Anyone who sees a domain's devices sees its images and campaigns;
 * uploading (the console's /api/firmware route) and running campaigns take firmware.manage. A campaign starts
 * (and resumes) at once: its first devices get their download and a connection request in the same call, the
 * ingress's scheduler takes it from there.
 */
export const firmwareRouter = router({
  images: tenantProcedure
    .meta({
      rest: {
        method: "GET",
        path: "/domains/{tenantId}/firmware",
        tag: "Firmware",
        summary: "A domain's firmware images (upload with POST /api/firmware)",
        permission: "device.read",
      },
    })
    .input(z.object({ tenantId: z.uuid(), productClass: z.string().trim().min(1).optional(), ...Page }))
    .query(({ ctx, input }) =>
      ctx.tenancy.withinReach(ctx.access, { domainId: input.tenantId }, "device.read", (db) =>
        listFirmware(db, input.tenantId, input),
      ),
    ),
  campaigns: tenantProcedure
    .meta({
      rest: {
        method: "GET",
        path: "/domains/{tenantId}/campaigns",
        tag: "Firmware",
        summary: "A domain's firmware campaigns, a page at a time",
        permission: "device.read",
      },
    })
    .input(z.object({ tenantId: z.uuid(), state: CampaignState.optional(), ...Page }))
    .query(({ ctx, input }) =>
      ctx.tenancy.withinReach(ctx.access, { domainId: input.tenantId }, "device.read", (db) =>
        listCampaigns(db, input.tenantId, input),
      ),
    ),
  campaign: tenantProcedure
    .meta({
      rest: {
        method: "GET",
        path: "/campaigns/{campaignId}",
        tag: "Firmware",
        summary: "One campaign and its progress",
        permission: "device.read",
      },
    })
    .input(CampaignId)
    .query(({ ctx, input }) =>
      ctx.tenancy.withinReach(ctx.access, { campaignId: input.campaignId }, "device.read", async (db) => {
        const campaign = await db.firmwareCampaign.findUniqueOrThrow({
          where: { id: input.campaignId },
          include: { file: { select: { id: true, name: true, version: true, sha256: true, size: true } } },
        });
        const domain = await db.tenant.findUniqueOrThrow({
          where: { id: campaign.domainId },
          select: { id: true, name: true, timeZone: true },
        });
        return { ...campaign, domain, progress: await campaignProgress(db, campaign.id) };
      }),
    ),
  campaignDevices: tenantProcedure
    .meta({
      rest: {
        method: "GET",
        path: "/campaigns/{campaignId}/devices",
        tag: "Firmware",
        summary: "The devices of a campaign and where each stands",
        permission: "device.read",
      },
    })
    .input(CampaignId.extend({ state: DeviceState.optional(), wave: z.number().int().min(0).optional(), ...Page }))
    .query(({ ctx, input }) =>
      ctx.tenancy.withinReach(ctx.access, { campaignId: input.campaignId }, "device.read", (db) =>
        listCampaignDevices(db, input.campaignId, input),
      ),
    ),
  preview: tenantProcedure
    .meta({
      rest: {
        method: "POST",
        path: "/campaigns/preview",
        operationId: "previewCampaign",
        tag: "Firmware",
        summary: "What a campaign would do (devices, sites, models, waves, windows) without starting it",
        description:
          "Send the body you would send to create the campaign; start it with `confirmedDevices` set to the `devices` this returns.",
        permission: "firmware.manage",
      },
    })
    .input(CampaignInput)
    .mutation(({ ctx, input }) =>
      ctx.tenancy.withinReach(ctx.access, { domainId: input.tenantId }, "firmware.manage", (db) =>
        previewCampaign(db, input),
      ),
    ),
  tags: tenantProcedure
    .meta({
      rest: {
        method: "GET",
        path: "/domains/{tenantId}/device-tags",
        tag: "Devices",
        summary: "The tags on a domain's devices, with how many devices carry each",
        permission: "device.read",
      },
    })
    .input(z.object({ tenantId: z.uuid() }))
    .query(({ ctx, input }) =>
      ctx.tenancy.withinReach(ctx.access, { domainId: input.tenantId }, "device.read", (db) =>
        listDeviceTags(db, input.tenantId),
      ),
    ),
  create: tenantProcedure
    .meta({
      rest: {
        method: "POST",
        path: "/campaigns",
        operationId: "createCampaign",
        tag: "Firmware",
        summary: "Start a firmware campaign in waves; its first devices get their download at once",
        description:
          "Preview the campaign first (`POST /campaigns/preview`): the campaign starts only with `confirmedDevices` equal to the number of devices it targets, so nothing starts that nobody saw.",
        permission: "firmware.manage",
        status: 201,
      },
    })
    .input(CampaignInput.extend({ confirmedDevices: z.number().int().min(1) }))
    .mutation(async ({ ctx, input }) => {
      const { created, step } = await ctx.tenancy.withinReach(
        ctx.access,
        { domainId: input.tenantId },
        "firmware.manage",
        // createCampaign keeps the target domain below the owner, so it is within reach too.
        async (db) => {
          const created = await createCampaign(db, input, ctx.access.actor);
          return { created, step: await advanceCampaign(db, created.campaign.id) };
        },
      );
      wakeInBackground(ctx, step.started);
      return created;
    }),
  pause: tenantProcedure
    .meta({
      rest: {
        method: "POST",
        path: "/campaigns/{campaignId}/pause",
        tag: "Firmware",
        summary: "Pause a campaign",
        permission: "firmware.manage",
      },
    })
    .input(CampaignId.extend({ reason: z.string().trim().max(500).optional() }))
    .mutation(({ ctx, input }) =>
      ctx.tenancy.withinReach(ctx.access, { campaignId: input.campaignId }, "firmware.manage", (db) =>
        pauseCampaign(db, input.campaignId, ctx.access.actor, input.reason),
      ),
    ),
  resume: tenantProcedure
    .meta({
      rest: {
        method: "POST",
        path: "/campaigns/{campaignId}/resume",
        tag: "Firmware",
        summary: "Resume a paused campaign",
        permission: "firmware.manage",
      },
    })
    .input(CampaignId)
    .mutation(async ({ ctx, input }) => {
      const { resumed, step } = await ctx.tenancy.withinReach(
        ctx.access,
        { campaignId: input.campaignId },
        "firmware.manage",
        async (db) => {
          const resumed = await resumeCampaign(db, input.campaignId, ctx.access.actor);
          return { resumed, step: await advanceCampaign(db, input.campaignId) };
        },
      );
      wakeInBackground(ctx, step.started);
      return resumed;
    }),
  cancel: tenantProcedure
    .meta({
      rest: {
        method: "POST",
        path: "/campaigns/{campaignId}/cancel",
        tag: "Firmware",
        summary: "Cancel a campaign",
        permission: "firmware.manage",
      },
    })
    .input(CampaignId)
    .mutation(({ ctx, input }) =>
      ctx.tenancy.withinReach(ctx.access, { campaignId: input.campaignId }, "firmware.manage", (db) =>
        cancelCampaign(db, input.campaignId, ctx.access.actor),
      ),
    ),
});
