import type { Db, Prisma } from "@beacon/db";
import { maskSecrets } from "../secrets/secret-parameters.ts";

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
  await db.auditEvent.create({ data: maskedAudit(input) });
}

/** Secret parameter values never reach the audit log: they are masked before the row is written. */
export function maskedAudit(input: AuditInput): AuditInput {
  return {
    ...input,
    ...(input.before !== undefined ? { before: maskSecrets(input.before) } : {}),
    ...(input.after !== undefined ? { after: maskSecrets(input.after) } : {}),
  };
}
