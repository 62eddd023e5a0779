import { randomUUID } from "node:crypto";
import { appendAudit } from "../audit/audit-trail.ts";
import { Conflict, NotFound } from "../errors.ts";
import { authorize, type TenantAccess } from "../tenancy/tenant-access.ts";
import type { ScopedDb } from "../tenancy/tenant-scope.ts";
import { type DomainKind, domainName, timeZoneName } from "./domain-names.ts";

export interface CreateDomainInput {
  parentId: string;
  name: string;
  kind: DomainKind;
  /** Defaults to the parent's. */
  timeZone?: string;
}

/** Creates a domain below one the user manages, e.g. a hotel site below its integrator. */
export async function createDomain(
  db: ScopedDb,
  access: TenantAccess,
  input: CreateDomainInput,
): Promise<{ id: string }> {
  const parent = await db.tenant.findUnique({
    where: { id: input.parentId },
    select: { id: true, name: true, ancestorIds: true, timeZone: true },
  });
  if (!parent) throw new NotFound("parent domain");
  authorize(access, "tenant.manage", parent);
  const name = domainName(input.name);
  const timeZone = input.timeZone ? timeZoneName(input.timeZone) : parent.timeZone;
  if (await db.tenant.findFirst({ where: { parentId: parent.id, name }, select: { id: true } })) {
    throw new Conflict(`${parent.name} already has a domain named ${name}`);
  }
  // The id is chosen here so the row is written once with its full ancestry, which the tenant scope checks.
  const id = randomUUID();
  await db.$transaction(async (tx) => {
    await tx.tenant.create({
      data: { id, name, kind: input.kind, parentId: parent.id, ancestorIds: [...parent.ancestorIds, id], timeZone },
    });
    await appendAudit(tx, {
      tenantId: parent.id,
      actorId: access.actor.id,
      actorLabel: access.actor.label,
      action: "domain.create",
      targetType: "domain",
      targetId: id,
      after: { name, kind: input.kind, parent: parent.name, timeZone },
    });
  });
  return { id };
}
