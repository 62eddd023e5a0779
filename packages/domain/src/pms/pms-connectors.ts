import { randomBytes } from "node:crypto";
import type { Db, PmsConnector, PmsKind, PmsLinkState, Prisma } from "@beacon/db";
import { z } from "zod";
import { recordAudit } from "../audit/record-audit.ts";
import { Invalid, NotFound } from "../errors.ts";
import type { Actor } from "../users/users.ts";
import { RoomMapping, readRoomMapping } from "./room-mapping.ts";

/**
 * A hotel's PMS connector: which PMS it is, how Beacon reaches it (a FIAS link to its host and port) or how it
 * reaches Beacon (webhook calls carrying the connector's secret), how its room numbers map to the site's, and what
 * the connector last saw. The secret and the PMS API credentials are written, never read back: a view says only
 * whether each is set, and the secret is shown once, when made.
 */

export const PMS_KINDS = ["fias", "mews", "apaleo", "cloudbeds"] as const satisfies readonly PmsKind[];
export const CLOUD_PMS_KINDS: readonly PmsKind[] = ["mews", "apaleo", "cloudbeds"];

/** Where a cloud PMS posts its events, below the console's origin. */
export function pmsWebhookPath(connectorId: string): string {
  return `/api/pms/${connectorId}/webhook`;
}

const HOST = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$|^\[?[0-9A-Fa-f:.]+\]?$/;

const Credential = z
  .string()
  .trim()
  .max(2000)
  .optional()
  .meta({ description: "Absent keeps the stored value; an empty string clears it. Never returned." });

export const PmsConnectorSettings = z
  .object({
    siteId: z.uuid().meta({ description: "The hotel's domain id." }),
    kind: z.enum(PMS_KINDS),
    enabled: z.boolean().default(true),
    fiasHost: z.string().trim().max(253).optional(),
    fiasPort: z.number().int().min(1).max(65_535).optional(),
    apiBaseUrl: z
      .string()
      .trim()
      .max(500)
      .optional()
      .refine(
        (url) => !url || /^https?:\/\/[^\s/]+/i.test(url),
        "the PMS API address starts with https:// (or http://)",
      ),
    apiClientToken: Credential,
    apiAccessToken: Credential,
    roomMapping: RoomMapping.default({ table: {}, stripPrefix: "", stripLeadingZeros: false, addPrefix: "" }),
  })
  .superRefine((input, ctx) => {
    if (input.kind !== "fias") return;
    if (!input.fiasHost || !HOST.test(input.fiasHost)) {
      ctx.addIssue({ code: "custom", path: ["fiasHost"], message: "give the PMS interface's host name or address" });
    }
    if (!input.fiasPort) ctx.addIssue({ code: "custom", path: ["fiasPort"], message: "give the PMS interface's port" });
  });
export type PmsConnectorSettings = z.output<typeof PmsConnectorSettings>;

export interface PmsConnectorStatus {
  state: PmsLinkState;
  stateChangedAt: Date | null;
  lastRecordAt: Date | null;
  lastError: string | null;
  lastErrorAt: Date | null;
  recordCount: number;
  checkoutCount: number;
  errorCount: number;
}

export interface PmsConnectorView {
  id: string;
  siteId: string;
  kind: PmsKind;
  enabled: boolean;
  fiasHost: string | null;
  fiasPort: number | null;
  apiBaseUrl: string | null;
  apiClientTokenSet: boolean;
  apiAccessTokenSet: boolean;
  webhookSecretSet: boolean;
  /** Cloud PMS: the path its webhooks call, below the console's address; null for FIAS. */
  webhookPath: string | null;
  roomMapping: RoomMapping;
  status: PmsConnectorStatus;
  updatedBy: string;
  updatedAt: Date;
}

export function pmsConnectorView(row: PmsConnector): PmsConnectorView {
  const cloud = CLOUD_PMS_KINDS.includes(row.kind);
  return {
    id: row.id,
    siteId: row.tenantId,
    kind: row.kind,
    enabled: row.enabled,
    fiasHost: row.kind === "fias" ? row.fiasHost : null,
    fiasPort: row.kind === "fias" ? row.fiasPort : null,
    apiBaseUrl: cloud ? row.apiBaseUrl : null,
    apiClientTokenSet: Boolean(row.apiClientToken),
    apiAccessTokenSet: Boolean(row.apiAccessToken),
    webhookSecretSet: Boolean(row.webhookSecret),
    webhookPath: cloud ? pmsWebhookPath(row.id) : null,
    roomMapping: readRoomMapping(row.roomMapping),
    status: {
      state: row.state,
      stateChangedAt: row.stateChangedAt,
      lastRecordAt: row.lastRecordAt,
      lastError: row.lastError,
      lastErrorAt: row.lastErrorAt,
      recordCount: row.recordCount,
      checkoutCount: row.checkoutCount,
      errorCount: row.errorCount,
    },
    updatedBy: row.updatedBy,
    updatedAt: row.updatedAt,
  };
}

/** 256 random bits; the prefix says what it is when it turns up in a PMS's configuration or a log. */
export function newPmsWebhookSecret(): string {
  return `pms_${randomBytes(32).toString("base64url")}`;
}

/** The site's connector, or null when it has none. */
export async function getPmsConnector(db: Db, siteId: string): Promise<PmsConnectorView | null> {
  const row = await db.pmsConnector.findUnique({ where: { tenantId: siteId } });
  return row ? pmsConnectorView(row) : null;
}

/**
 * Creates or changes the site's connector. A cloud PMS connector gets a webhook secret the first time it needs one,
 * and the answer carries it: it is never shown again (rotate it to get a new one).
 */
export async function savePmsConnector(
  db: Db,
  input: PmsConnectorSettings,
  actor: Actor,
): Promise<{ connector: PmsConnectorView; webhookSecret: string | null }> {
  const site = await db.tenant.findUnique({ where: { id: input.siteId }, select: { id: true } });
  if (!site) throw new NotFound("site");
  const existing = await db.pmsConnector.findUnique({ where: { tenantId: site.id } });
  const cloud = CLOUD_PMS_KINDS.includes(input.kind);
  if (cloud && !input.apiBaseUrl) throw new Invalid("give the PMS API's address, to read a reservation's room");
  const webhookSecret = cloud && !existing?.webhookSecret ? newPmsWebhookSecret() : null;
  const credential = (value: string | undefined, stored: string | null | undefined) =>
    value === undefined ? (stored ?? null) : value || null;
  const data = {
    kind: input.kind,
    enabled: input.enabled,
    fiasHost: input.kind === "fias" ? (input.fiasHost ?? null) : null,
    fiasPort: input.kind === "fias" ? (input.fiasPort ?? null) : null,
    apiBaseUrl: cloud ? (input.apiBaseUrl ?? null) : null,
    apiClientToken: cloud ? credential(input.apiClientToken, existing?.apiClientToken) : null,
    apiAccessToken: cloud ? credential(input.apiAccessToken, existing?.apiAccessToken) : null,
    roomMapping: input.roomMapping as Prisma.InputJsonValue,
    updatedBy: actor.label,
    ...(webhookSecret ? { webhookSecret } : {}),
  };
  const row = await db.$transaction(async (tx) => {
    const saved = existing
      ? await tx.pmsConnector.update({ where: { id: existing.id }, data })
      : await tx.pmsConnector.create({ data: { tenantId: site.id, ...data } });
    await recordAudit(tx, {
      tenantId: site.id,
      actorId: actor.id,
      actorLabel: actor.label,
      action: existing ? "pms.update" : "pms.create",
      targetType: "pmsConnector",
      targetId: saved.id,
      ...(existing ? { before: auditedSettings(existing) } : {}),
      after: auditedSettings(saved),
    });
    return saved;
  });
  return { connector: pmsConnectorView(row), webhookSecret };
}

/** What the audit log keeps of a connector's settings: whether credentials are set, never their values. */
function auditedSettings(row: PmsConnector): Prisma.InputJsonValue {
  return {
    kind: row.kind,
    enabled: row.enabled,
    fiasHost: row.fiasHost,
    fiasPort: row.fiasPort,
    apiBaseUrl: row.apiBaseUrl,
    apiClientTokenSet: Boolean(row.apiClientToken),
    apiAccessTokenSet: Boolean(row.apiAccessToken),
    webhookSecretSet: Boolean(row.webhookSecret),
    roomMapping: row.roomMapping as Prisma.InputJsonValue,
  };
}

/** A new webhook secret; the old one stops working at once. The answer is the only place it is shown. */
export async function rotatePmsWebhookSecret(
  db: Db,
  siteId: string,
  actor: Actor,
): Promise<{ connector: PmsConnectorView; webhookSecret: string }> {
  const existing = await db.pmsConnector.findUnique({ where: { tenantId: siteId } });
  if (!existing) throw new NotFound("PMS connector");
  if (!CLOUD_PMS_KINDS.includes(existing.kind)) throw new Invalid("a FIAS link has no webhook secret");
  const webhookSecret = newPmsWebhookSecret();
  const row = await db.$transaction(async (tx) => {
    const saved = await tx.pmsConnector.update({
      where: { id: existing.id },
      data: { webhookSecret, updatedBy: actor.label },
    });
    await recordAudit(tx, {
      tenantId: siteId,
      actorId: actor.id,
      actorLabel: actor.label,
      action: "pms.rotate-secret",
      targetType: "pmsConnector",
      targetId: existing.id,
    });
    return saved;
  });
  return { connector: pmsConnectorView(row), webhookSecret };
}

export async function deletePmsConnector(db: Db, siteId: string, actor: Actor): Promise<void> {
  const existing = await db.pmsConnector.findUnique({ where: { tenantId: siteId } });
  if (!existing) throw new NotFound("PMS connector");
  await db.$transaction(async (tx) => {
    await tx.pmsConnector.delete({ where: { id: existing.id } });
    await recordAudit(tx, {
      tenantId: siteId,
      actorId: actor.id,
      actorLabel: actor.label,
      action: "pms.delete",
      targetType: "pmsConnector",
      targetId: existing.id,
      before: auditedSettings(existing),
    });
  });
}
