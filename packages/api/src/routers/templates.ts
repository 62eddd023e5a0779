import {
  applyTemplate,
  createTemplate,
  createTemplateVersion,
  getTemplate,
  isSecretParameter,
  listTemplates,
  MASK,
  NotAllowed,
  NotFound,
  permissionsAt,
  previewTemplate,
  SETTINGS,
  settingDefinition,
  templateDrift,
  updateTemplateDetails,
  VARIABLES,
  versionContent,
} from "@beacon/domain";
import { z } from "zod";
import { authedProcedure, router, tenantProcedure } from "../trpc.ts";
import { wakeInBackground } from "../wake-devices.ts";

const TemplateContentInput = z.object({
  settings: z.record(z.string().max(100), z.string().max(1000)).default({}),
  rawParameters: z
    .array(z.object({ path: z.string().max(1024), value: z.string().max(65_535), type: z.string().max(64).optional() }))
    .max(500)
    .default([]),
  note: z.string().max(500).default(""),
});

const ApplyTarget = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("device"), deviceId: z.uuid() }),
  z.object({ kind: z.literal("rooms"), siteId: z.uuid(), from: z.string().max(32), to: z.string().max(32) }),
  z.object({ kind: z.literal("domain"), tenantId: z.uuid() }),
]);

function targetOf(target: z.output<typeof ApplyTarget>) {
  switch (target.kind) {
    case "device":
      return { deviceId: target.deviceId };
    case "rooms":
      return { domainId: target.siteId };
    case "domain":
      return { domainId: target.tenantId };
  }
}

/** Secrets of a template stay with those who may change it. */
function maskedSettings(settings: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(settings).map(([key, value]) => [key, settingDefinition(key)?.secret ? MASK : value]),
  );
}

export const templatesRouter = router({
  /** Beacon's setting names with what each takes, for the template editor. */
  vocabulary: authedProcedure
    .meta({
      rest: {
        method: "GET",
        path: "/templates/vocabulary",
        tag: "Templates",
        summary: "Beacon's setting names and template variables, with what each takes",
      },
    })
    .query(() => ({
      settings: Object.entries(SETTINGS).map(([key, definition]) => ({
        key,
        label: definition.label,
        value: definition.value,
        secret: Boolean(definition.secret),
        beaconOnly: Boolean(definition.beaconOnly),
        restoredAtCheckout: Boolean(definition.restoredAtCheckout),
      })),
      variables: Object.entries(VARIABLES).flatMap(([namespace, names]) => names.map((n) => `${namespace}.${n}`)),
    })),
  /** The domain's own templates and those it inherits from the domains above it. */
  list: tenantProcedure
    .meta({
      rest: {
        method: "GET",
        path: "/domains/{tenantId}/templates",
        operationId: "listTemplates",
        tag: "Templates",
        summary: "A domain's own templates and those it inherits from above",
        permission: "device.read",
      },
    })
    .input(z.object({ tenantId: z.uuid() }))
    .query(({ ctx, input }) =>
      ctx.tenancy.withinReach(ctx.access, { domainId: input.tenantId }, "device.read", (db) =>
        listTemplates(db, input),
      ),
    ),
  /** A template as seen from a domain: its own, or one inherited from above (read-only there). */
  get: tenantProcedure
    .meta({
      rest: {
        method: "GET",
        path: "/domains/{tenantId}/templates/{templateId}",
        operationId: "getTemplate",
        tag: "Templates",
        summary: "A template as seen from a domain, with its versions; secrets masked for those who may not change it",
        permission: "device.read",
      },
    })
    .input(z.object({ tenantId: z.uuid(), templateId: z.uuid() }))
    .query(async ({ ctx, input }) => {
      const template = await ctx.tenancy.withinReach(
        ctx.access,
        { domainId: input.tenantId },
        "device.read",
        async (db, domain) => {
          const found = await getTemplate(db, input.templateId);
          if (!domain.ancestorIds.includes(found.tenantId)) throw new NotFound("template");
          return found;
        },
      );
      // The owner is out of reach when the template is inherited from above the user's domains.
      const owner = await ctx.db.tenant.findUnique({
        where: { id: template.tenantId },
        select: { id: true, name: true, ancestorIds: true },
      });
      const editable = owner !== null && permissionsAt(ctx.access, owner).includes("template.manage");
      return {
        id: template.id,
        name: template.name,
        description: template.description,
        autoApply: template.autoApply,
        latestVersion: template.latestVersion,
        owner: owner ? { id: owner.id, name: owner.name } : null,
        inherited: template.tenantId !== input.tenantId,
        editable,
        versions: template.versions.map((version) => {
          const content = versionContent(version);
          return {
            id: version.id,
            version: version.version,
            note: version.note,
            createdBy: version.createdBy,
            createdAt: version.createdAt,
            settings: editable ? content.settings : maskedSettings(content.settings),
            rawParameters: content.rawParameters.map((raw) =>
              editable || !isSecretParameter(raw.path) ? raw : { ...raw, value: MASK },
            ),
          };
        }),
      };
    }),
  create: tenantProcedure
    .meta({
      rest: {
        method: "POST",
        path: "/domains/{tenantId}/templates",
        operationId: "createTemplate",
        tag: "Templates",
        summary: "Create a template with its first version",
        permission: "template.manage",
        status: 201,
      },
    })
    .input(
      TemplateContentInput.extend({
        tenantId: z.uuid(),
        name: z.string().max(100),
        description: z.string().max(500).optional(),
        autoApply: z.boolean().optional(),
      }),
    )
    .mutation(({ ctx, input }) =>
      ctx.tenancy.withinReach(ctx.access, { domainId: input.tenantId }, "template.manage", async (db) => {
        const { template, version } = await createTemplate(db, input, ctx.access.actor);
        return { templateId: template.id, version: version.version };
      }),
    ),
  /** An edit: versions are immutable, so this makes the next one. */
  createVersion: tenantProcedure
    .meta({
      rest: {
        method: "POST",
        path: "/templates/{templateId}/versions",
        operationId: "createTemplateVersion",
        tag: "Templates",
        summary: "Save the next version of a template (versions never change)",
        permission: "template.manage",
        status: 201,
      },
    })
    .input(TemplateContentInput.extend({ templateId: z.uuid() }))
    .mutation(({ ctx, input }) =>
      ctx.tenancy.withinReach(ctx.access, { templateId: input.templateId }, "template.manage", async (db) => {
        const version = await createTemplateVersion(db, input, ctx.access.actor);
        return { templateId: version.templateId, version: version.version };
      }),
    ),
  updateDetails: tenantProcedure
    .meta({
      rest: {
        method: "PATCH",
        path: "/templates/{templateId}",
        tag: "Templates",
        summary: "Rename a template, describe it, or turn its automatic application on or off",
        permission: "template.manage",
      },
    })
    .input(
      z.object({
        templateId: z.uuid(),
        name: z.string().max(100).optional(),
        description: z.string().max(500).optional(),
        autoApply: z.boolean().optional(),
      }),
    )
    .mutation(({ ctx, input }) =>
      ctx.tenancy.withinReach(ctx.access, { templateId: input.templateId }, "template.manage", async (db) => {
        const template = await updateTemplateDetails(db, input, ctx.access.actor);
        return { templateId: template.id };
      }),
    ),
  /** What a version would set on a device, without queueing anything; secret values are masked. */
  preview: tenantProcedure
    .meta({
      rest: {
        method: "GET",
        path: "/devices/{deviceId}/template-preview",
        operationId: "previewTemplate",
        tag: "Templates",
        summary: "What a template version would set on a device, without queueing anything",
        permission: "device.read",
      },
    })
    .input(z.object({ templateVersionId: z.uuid(), deviceId: z.uuid() }))
    .query(({ ctx, input }) =>
      ctx.tenancy.withinReach(ctx.access, { deviceId: input.deviceId }, "device.read", async (db) => {
        const preview = await previewTemplate(db, input).catch((error: unknown) => {
          // A template that does not serve the device's domain may lie outside the user's reach: say nothing of it.
          throw error instanceof NotAllowed ? new NotFound("template version") : error;
        });
        return {
          ...preview,
          values: preview.values.map((v) => (v.secret || isSecretParameter(v.path) ? { ...v, value: MASK } : v)),
        };
      }),
    ),
  /** Queues the version on a device, a range of rooms or a whole domain, and wakes the devices. */
  applyVersion: tenantProcedure
    .meta({
      rest: {
        method: "POST",
        path: "/templates/{templateId}/apply",
        operationId: "applyTemplate",
        tag: "Templates",
        summary: "Apply a template version to a device, a range of rooms or a whole domain, and wake the devices",
        permission: "template.manage",
      },
    })
    .input(z.object({ templateId: z.uuid(), versionId: z.uuid().optional(), target: ApplyTarget }))
    .mutation(async ({ ctx, input }) => {
      const result = await ctx.tenancy.withinReach(
        ctx.access,
        targetOf(input.target),
        "template.manage",
        async (db, domain) => {
          const template = await getTemplate(db, input.templateId);
          if (!domain.ancestorIds.includes(template.tenantId)) throw new NotFound("template");
          return applyTemplate(db, { ...input, actor: ctx.access.actor });
        },
      );
      wakeInBackground(ctx, result.devices);
      return {
        version: result.version,
        devices: result.devices.length,
        queued: result.devices.filter((d) => d.taskId).length,
        skipped: result.devices.flatMap((d) => d.skipped.map((s) => ({ deviceId: d.deviceId, ...s }))),
        problems: result.problems,
      };
    }),
  /** The templates a device carries and where its values no longer match them. */
  drift: tenantProcedure
    .meta({
      rest: {
        method: "GET",
        path: "/devices/{deviceId}/templates",
        tag: "Templates",
        summary: "The templates a device carries and where its values no longer match them",
        permission: "device.read",
      },
    })
    .input(z.object({ deviceId: z.uuid() }))
    .query(({ ctx, input }) =>
      ctx.tenancy.withinReach(ctx.access, { deviceId: input.deviceId }, "device.read", async (db) => {
        const drift = await templateDrift(db, input.deviceId);
        const carried = await ctx.db.deviceTemplate.findMany({
          where: { deviceId: input.deviceId },
          select: { templateId: true, templateVersionId: true, appliedBy: true, updatedAt: true },
          orderBy: { createdAt: "asc" },
        });
        // A device may carry a template of a domain above the user's reach; getTemplate reads it all the same.
        const templates = await Promise.all(carried.map((row) => getTemplate(db, row.templateId)));
        return {
          ...drift,
          carried: carried.map((row, i) => ({
            templateId: row.templateId,
            name: templates[i]!.name,
            version: templates[i]!.versions.find((v) => v.id === row.templateVersionId)?.version ?? null,
            latestVersion: templates[i]!.latestVersion,
            appliedBy: row.appliedBy,
            appliedAt: row.updatedAt,
          })),
        };
      }),
    ),
});
