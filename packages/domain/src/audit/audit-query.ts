import type { Prisma } from "@beacon/db";
import { z } from "zod";

/** The audit log's filters: a domain (and below), who, what, which device, and a time range. */
export const AuditQuery = z.object({
  tenantId: z.uuid(),
  /** Part of the actor's label (an email, "cwmp", "cli"). */
  actor: z.string().trim().max(200).optional(),
  /** An action ("device.move") or its area ("device."). */
  action: z.string().trim().max(100).optional(),
  deviceId: z.uuid().optional(),
  from: z.date().optional(),
  to: z.date().optional(),
  page: z.number().int().min(1).default(1),
  pageSize: z.number().int().min(1).max(200).default(50),
});
export type AuditQuery = z.output<typeof AuditQuery>;

export function auditWhere(query: AuditQuery): Prisma.AuditEventWhereInput {
  return {
    tenant: { ancestorIds: { has: query.tenantId } },
    ...(query.actor ? { actorLabel: { contains: query.actor, mode: "insensitive" } } : {}),
    ...(query.action ? { action: { startsWith: query.action } } : {}),
    ...(query.deviceId ? { deviceId: query.deviceId } : {}),
    ...(query.from || query.to
      ? { createdAt: { ...(query.from ? { gte: query.from } : {}), ...(query.to ? { lt: query.to } : {}) } }
      : {}),
  };
}
