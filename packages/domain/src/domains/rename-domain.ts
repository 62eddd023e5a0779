import { appendAudit } from "../audit/audit-trail.ts";
import { Conflict, NotFound } from "../errors.ts";
import { authorize, type TenantAccess } from "../tenancy/tenant-access.ts";
import type { ScopedDb } from "../tenancy/tenant-scope.ts";
import { domainName } from "./domain-names.ts";

export async function renameDomain(
  db: ScopedDb,
  access: TenantAccess,
  input: { id: string; name: string },
): Promise<void> {
  const domain = await db.tenant.findUnique({
    where: { id: input.id },
    select: { id: true, name: true, parentId: true, ancestorIds: true },
  });
  if (!domain) throw new NotFound("domain");
  authorize(access, "tenant.manage", domain);
  const name = domainName(input.name);
  if (name === domain.name) return;
  if (domain.parentId) {
    // Siblings may be out of reach only when this is the user's own root; the unique index still guards those.
    const clash = await db.tenant.findFirst({ where: { parentId: domain.parentId, name }, select: { id: true } });
    if (clash) throw new Conflict(`a sibling domain is already named ${name}`);
  }
  await db.$transaction(async (tx) => {
    await tx.tenant.update({ where: { id: domain.id }, data: { name } });
    await appendAudit(tx, {
      tenantId: domain.id,
      actorId: access.actor.id,
      actorLabel: access.actor.label,
      action: "domain.rename",
      targetType: "domain",
      targetId: domain.id,
      before: { name: domain.name },
      after: { name },
    });
  });
}
