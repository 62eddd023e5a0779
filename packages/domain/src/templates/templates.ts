import type { Db, Template, TemplateVersion } from "@beacon/db";
import { z } from "zod";
import { recordAudit } from "../audit/record-audit.ts";
import { Conflict, Invalid, NotFound } from "../errors.ts";
import type { Actor } from "../users/users.ts";
import type { RawParameter } from "./plan.ts";
import { templateTextProblems } from "./render.ts";
import { checkSettingValue, isSetting } from "./vocabulary.ts";

/** A template's content: settings in Beacon's vocabulary and raw parameters for anything else. */
export const TemplateContent = z.object({
  settings: z.record(z.string(), z.string()).default({}),
  rawParameters: z
    .array(
      z.object({
        path: z
          .string()
          .trim()
          .regex(/^(InternetGatewayDevice|Device)\.([A-Za-z0-9_-]+\.)*[A-Za-z0-9_-]+$/, {
            message:
              "a raw parameter is a full name below InternetGatewayDevice. or Device., e.g. Device.Time.NTPServer3",
          }),
        value: z.string(),
        type: z
          .string()
          .regex(/^xsd:[A-Za-z]+$/, { message: "a type is written like xsd:string" })
          .optional(),
      }),
    )
    .default([]),
  note: z.string().max(500).default(""),
});
export type TemplateContent = z.input<typeof TemplateContent>;

export interface CreateTemplateInput extends TemplateContent {
  tenantId: string;
  name: string;
  description?: string;
  autoApply?: boolean;
}

export interface TemplateWithVersion {
  template: Template;
  version: TemplateVersion;
}

/** Every problem of a template's content at once, so that an editor can show them together. */
export function templateContentProblems(content: z.output<typeof TemplateContent>): string[] {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(content.settings)) {
    if (!isSetting(key)) {
      problems.push(`${key} is not a setting Beacon knows`);
      continue;
    }
    const textProblems = templateTextProblems(value);
    problems.push(...textProblems.map((p) => `${key}: ${p}`));
    // A value without variables can be checked now rather than at each device.
    if (textProblems.length === 0 && !value.includes("{{")) {
      const checked = checkSettingValue(key, value);
      if (!checked.ok) problems.push(checked.problem);
    }
  }
  const seen = new Set<string>();
  for (const raw of content.rawParameters) {
    if (seen.has(raw.path)) problems.push(`${raw.path} is listed twice`);
    seen.add(raw.path);
    problems.push(...templateTextProblems(raw.value).map((p) => `${raw.path}: ${p}`));
  }
  return problems;
}

function parseContent(input: TemplateContent): z.output<typeof TemplateContent> {
  const parsed = TemplateContent.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Invalid(`${issue.path.join(".") || "template"}: ${issue.message}`);
  }
  const problems = templateContentProblems(parsed.data);
  if (problems.length) throw new Invalid(problems.join("; "));
  return parsed.data;
}

export async function createTemplate(db: Db, input: CreateTemplateInput, actor: Actor): Promise<TemplateWithVersion> {
  const name = input.name.trim();
  if (!name) throw new Invalid("a template needs a name");
  const content = parseContent(input);
  const tenant = await db.tenant.findUnique({ where: { id: input.tenantId }, select: { id: true } });
  if (!tenant) throw new NotFound("domain");
  const clash = await db.template.findUnique({ where: { tenantId_name: { tenantId: tenant.id, name } } });
  if (clash) throw new Conflict(`this domain already has a template named ${name}`);
  return db.$transaction(async (tx) => {
    const template = await tx.template.create({
      data: {
        tenantId: tenant.id,
        name,
        description: input.description ?? "",
        autoApply: input.autoApply ?? false,
        latestVersion: 1,
      },
    });
    const version = await tx.templateVersion.create({
      data: {
        tenantId: tenant.id,
        templateId: template.id,
        version: 1,
        settings: content.settings,
        rawParameters: content.rawParameters,
        note: content.note,
        createdBy: actor.label,
      },
    });
    await recordAudit(tx, {
      tenantId: tenant.id,
      actorId: actor.id,
      actorLabel: actor.label,
      action: "template.create",
      targetType: "template",
      targetId: template.id,
      after: { name, version: 1, settings: Object.keys(content.settings) },
    });
    return { template, version };
  });
}

/** Versions are immutable: an edit is a new version, and devices keep the version they were given until re-applied. */
export async function createTemplateVersion(
  db: Db,
  input: TemplateContent & { templateId: string },
  actor: Actor,
): Promise<TemplateVersion> {
  const content = parseContent(input);
  const existing = await db.template.findUnique({ where: { id: input.templateId }, select: { id: true } });
  if (!existing) throw new NotFound("template");
  return db.$transaction(async (tx) => {
    // The increment's row lock orders concurrent edits; each gets the next number.
    const template = await tx.template.update({
      where: { id: existing.id },
      data: { latestVersion: { increment: 1 } },
    });
    const version = await tx.templateVersion.create({
      data: {
        tenantId: template.tenantId,
        templateId: template.id,
        version: template.latestVersion,
        settings: content.settings,
        rawParameters: content.rawParameters,
        note: content.note,
        createdBy: actor.label,
      },
    });
    await recordAudit(tx, {
      tenantId: template.tenantId,
      actorId: actor.id,
      actorLabel: actor.label,
      action: "template.version",
      targetType: "template",
      targetId: template.id,
      after: { version: version.version, settings: Object.keys(content.settings) },
    });
    return version;
  });
}

/** Name, description and auto-apply are not versioned: they say how the template is used, not what it sets. */
export async function updateTemplateDetails(
  db: Db,
  input: { templateId: string; name?: string; description?: string; autoApply?: boolean },
  actor: Actor,
): Promise<Template> {
  const existing = await db.template.findUnique({ where: { id: input.templateId } });
  if (!existing) throw new NotFound("template");
  const name = input.name?.trim();
  if (name !== undefined && !name) throw new Invalid("a template needs a name");
  if (name && name !== existing.name) {
    const clash = await db.template.findUnique({ where: { tenantId_name: { tenantId: existing.tenantId, name } } });
    if (clash) throw new Conflict(`this domain already has a template named ${name}`);
  }
  return db.$transaction(async (tx) => {
    const template = await tx.template.update({
      where: { id: existing.id },
      data: { name, description: input.description, autoApply: input.autoApply },
    });
    await recordAudit(tx, {
      tenantId: existing.tenantId,
      actorId: actor.id,
      actorLabel: actor.label,
      action: "template.update",
      targetType: "template",
      targetId: existing.id,
      before: { name: existing.name, description: existing.description, autoApply: existing.autoApply },
      after: { name: template.name, description: template.description, autoApply: template.autoApply },
    });
    return template;
  });
}

export interface TemplateSummary {
  id: string;
  name: string;
  description: string;
  autoApply: boolean;
  latestVersion: number;
  owner: { id: string; name: string };
  /** True when an ancestor domain owns it and this domain inherits it. */
  inherited: boolean;
}

/** The templates a domain may use: its own and those of every domain above it. */
export async function listTemplates(db: Db, input: { tenantId: string }): Promise<TemplateSummary[]> {
  const tenant = await db.tenant.findUnique({ where: { id: input.tenantId }, select: { ancestorIds: true } });
  if (!tenant) throw new NotFound("domain");
  const templates = await db.template.findMany({
    where: { tenantId: { in: tenant.ancestorIds } },
    include: { tenant: { select: { id: true, name: true } } },
    orderBy: [{ name: "asc" }],
  });
  return templates.map((t) => ({
    id: t.id,
    name: t.name,
    description: t.description,
    autoApply: t.autoApply,
    latestVersion: t.latestVersion,
    owner: t.tenant,
    inherited: t.tenantId !== input.tenantId,
  }));
}

export async function getTemplate(db: Db, templateId: string): Promise<Template & { versions: TemplateVersion[] }> {
  const template = await db.template.findUnique({
    where: { id: templateId },
    include: { versions: { orderBy: { version: "desc" } } },
  });
  if (!template) throw new NotFound("template");
  return template;
}

/** The settings and raw parameters of a stored version, typed. */
export function versionContent(version: Pick<TemplateVersion, "settings" | "rawParameters">): {
  settings: Record<string, string>;
  rawParameters: RawParameter[];
} {
  const settings = z.record(z.string(), z.string()).catch({}).parse(version.settings);
  const rawParameters = TemplateContent.shape.rawParameters.catch([]).parse(version.rawParameters);
  return { settings, rawParameters };
}

/** A template may be used on a device when it belongs to the device's domain or one above it. */
export function templateReaches(
  template: Pick<Template, "tenantId">,
  tenant: { ancestorIds: readonly string[] },
): boolean {
  return tenant.ancestorIds.includes(template.tenantId);
}
