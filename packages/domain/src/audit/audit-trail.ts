import { type AuditInput, maskedAudit } from "./record-audit.ts";

/**
 * Anything that can append an audit record: the raw client, a transaction, or the tenant-scoped client (whose
 * Prisma types differ from the raw client's, so recordAudit's `Pick<Db, "auditEvent">` does not accept it).
 */
export interface AuditTrail {
  auditEvent: { create(args: { data: AuditInput }): PromiseLike<unknown> };
}

/** Appends one audit record; pass the transaction of the change it describes. */
export async function appendAudit(trail: AuditTrail, input: AuditInput): Promise<void> {
  await trail.auditEvent.create({ data: maskedAudit(input) });
}
