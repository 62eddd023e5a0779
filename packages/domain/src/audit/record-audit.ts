import type { Db, Prisma } from "@beacon/db";

export interface AuditInput {
  tenantId: string;
  actorId?: string | null;
  actorLabel: string;
  action: string;
  targetType?: string;
  targetId?: string;
  deviceId?: string;
  before?: Prisma.InputJsonValue;
  after?: Prisma.InputJsonValue;
}

type AuditWriter = Pick<Db, "auditEvent">;

/** Appends one audit record. Pass a transaction client to make it part of the change it describes. */
export async function recordAudit(db: AuditWriter, input: AuditInput): Promise<void> {
  await db.auditEvent.create({ data: input });
}
