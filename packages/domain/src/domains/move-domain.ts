import { appendAudit } from "../audit/audit-trail.ts";
import { Conflict, Invalid, NotFound } from "../errors.ts";
import { authorize, type TenantAccess } from "../tenancy/tenant-access.ts";
import type { ScopedDb } from "../tenancy/tenant-scope.ts";
import { withDomainPaths } from "./domain-paths.ts";

/**
 * Moves a domain, with everything below it, under another parent. The user must manage both the old parent and the
 * new one, so a domain someone was given as their own cannot be carried away by them.
 */
export async function moveDomain(
  db: ScopedDb,
  access: TenantAccess,
  input: { id: string; parentId: string },
): Promise<void> {
  const select = { id: true, name: true, kind: true, parentId: true, ancestorIds: true } as const;
  const domain = await db.tenant.findUnique({ where: { id: input.id }, select });
  if (!domain) throw new NotFound("domain");
  const parent = await db.tenant.findUnique({ where: { id: input.parentId }, select });
  if (!parent) throw new NotFound("new parent domain");
  if (domain.parentId === parent.id) return;
  authorize(access, "tenant.manage", { ancestorIds: domain.ancestorIds.slice(0, -1) });
  authorize(access, "tenant.manage", parent);
  if (parent.ancestorIds.includes(domain.id)) throw new Invalid("a domain cannot be moved below itself");
  if (await db.tenant.findFirst({ where: { parentId: parent.id, name: domain.name }, select: { id: true } })) {
    throw new Conflict(`${parent.name} already has a domain named ${domain.name}`);
  }
  const [before, after] = await withDomainPaths(db, [
    { ...domain, ancestorIds: domain.ancestorIds.slice(0, -1) },
    { ...parent },
  ]);
  const subtree = await db.tenant.findMany({
    where: { ancestorIds: { has: domain.id } },
    select: { id: true, ancestorIds: true },
  });
  await db.$transaction(async (tx) => {
    for (const tenant of subtree) {
      const below = tenant.ancestorIds.slice(tenant.ancestorIds.indexOf(domain.id));
      await tx.tenant.update({
        where: { id: tenant.id },
        data: {
          ancestorIds: [...parent.ancestorIds, ...below],
          ...(tenant.id === domain.id ? { parentId: parent.id } : {}),
        },
      });
    }
    await appendAudit(tx, {
      tenantId: domain.id,
      actorId: access.actor.id,
      actorLabel: access.actor.label,
      action: "domain.move",
      targetType: "domain",
      targetId: domain.id,
      before: { parent: before?.path.join(" / ") ?? null },
      after: { parent: after?.path.join(" / ") ?? null },
    });
  });
}
