import type { Db } from "@beacon/db";
import { z } from "zod";
import { recordAudit } from "../audit/record-audit.ts";
import { Invalid, NotFound } from "../errors.ts";

/**
 * Tags: free words an operator puts on devices ("pilot", "floor-3", "lobby") to target them, e.g. by a firmware
 * campaign. Compared as written, after trimming; a device carries at most MAX_TAGS.
 */
export const MAX_TAGS = 20;

export const Tag = z
  .string()
  .trim()
  .min(1, "a tag cannot be empty")
  .max(40, "a tag has at most 40 characters")
  .regex(
    /^[\p{L}\p{N}][\p{L}\p{N} ._:/-]*$/u,
    "a tag is letters, digits, spaces and . _ : / -, starting with a letter or digit",
  );

export const DeviceTags = z
  .array(Tag)
  .max(MAX_TAGS, `a device carries at most ${MAX_TAGS} tags`)
  .transform((tags) => [...new Set(tags)].sort((a, b) => a.localeCompare(b)));

/** Replaces a device's tags (the caller checked its reach); returns the tags it now carries. */
export async function setDeviceTags(
  db: Db,
  deviceId: string,
  tags: readonly string[],
  actor: { id?: string | null; label: string },
): Promise<string[]> {
  const parsed = DeviceTags.safeParse(tags);
  if (!parsed.success) throw new Invalid(`tags: ${parsed.error.issues[0]!.message}`);
  const device = await db.device.findUnique({ where: { id: deviceId }, select: { tenantId: true, tags: true } });
  if (!device) throw new NotFound("device");
  return db.$transaction(async (tx) => {
    await tx.device.update({ where: { id: deviceId }, data: { tags: parsed.data } });
    await recordAudit(tx, {
      tenantId: device.tenantId,
      actorId: actor.id,
      actorLabel: actor.label,
      action: "device.tags",
      targetType: "device",
      targetId: deviceId,
      before: { tags: device.tags },
      after: { tags: parsed.data },
    });
    return parsed.data;
  });
}

/** The tags in use on the devices of a domain and below, with how many devices carry each. */
export async function listDeviceTags(db: Db, tenantId: string): Promise<{ tag: string; devices: number }[]> {
  return db.$queryRaw<{ tag: string; devices: number }[]>`
    SELECT tag, count(*)::int AS "devices"
    FROM "Device" d JOIN "Tenant" t ON t."id" = d."tenantId", unnest(d."tags") AS tag
    WHERE t."ancestorIds" @> ARRAY[${tenantId}::uuid]
    GROUP BY tag ORDER BY tag
    LIMIT 500`;
}
