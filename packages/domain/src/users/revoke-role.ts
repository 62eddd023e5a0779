import { appendAudit } from "../audit/audit-trail.ts";
import { Invalid, NotFound } from "../errors.ts";
import { authorize, type TenantAccess } from "../tenancy/tenant-access.ts";
import type { ScopedDb } from "../tenancy/tenant-scope.ts";

/** Removes one role of a person on one domain. */
export async function revokeRole(db: ScopedDb, access: TenantAccess, input: { membershipId: string }): Promise<void> {
  const membership = await db.membership.findUnique({
    where: { id: input.membershipId },
    select: {
      id: true,
      userId: true,
      role: true,
      user: { select: { email: true } },
      tenant: { select: { id: true, name: true, ancestorIds: true } },
    },
  });
  if (!membership) throw new NotFound("role");
  authorize(access, "user.manage", membership.tenant);
  if (membership.userId === access.userId) throw new Invalid("you cannot remove your own role");
  await db.$transaction(async (tx) => {
    // A role change ends the person's sessions: they sign in again to the access they now have. (Before the
    // delete: without this role the account may be out of the scope's reach.)
    await tx.user.update({ where: { id: membership.userId }, data: { sessionVersion: { increment: 1 } } });
    await tx.membership.delete({ where: { id: membership.id } });
    await appendAudit(tx, {
      tenantId: membership.tenant.id,
      actorId: access.actor.id,
      actorLabel: access.actor.label,
      action: "user.revoke-role",
      targetType: "user",
      targetId: membership.userId,
      before: { email: membership.user.email, role: membership.role, domain: membership.tenant.name },
    });
  });
}
