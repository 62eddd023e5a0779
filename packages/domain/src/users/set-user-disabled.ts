import { appendAudit } from "../audit/audit-trail.ts";
import { Invalid, NotAllowed, NotFound } from "../errors.ts";
import { roleCan } from "../tenancy/permissions.ts";
import type { TenantAccess } from "../tenancy/tenant-access.ts";
import type { ScopedDb } from "../tenancy/tenant-scope.ts";

/**
 * Disables (or enables) an account. An account is global, so the actor must manage users on every domain where
 * it holds a role; otherwise the answer is to remove its role here instead.
 */
export async function setUserDisabled(
  db: ScopedDb,
  access: TenantAccess,
  input: { userId: string; disabled: boolean },
): Promise<void> {
  if (input.userId === access.userId) throw new Invalid("you cannot disable your own account");
  const user = await db.user.findUnique({
    where: { id: input.userId },
    select: { id: true, email: true, disabled: true, memberships: { select: { tenantId: true } } },
  });
  if (!user) throw new NotFound("user");
  if (user.disabled === input.disabled) return;
  const managed = access.memberships.filter((m) => roleCan(m.role, "user.manage")).map((m) => m.tenantId);
  await db.$transaction(async (tx) => {
    // `every` is evaluated over all of the account's roles, so this changes nothing unless all of them are managed.
    const { count } = await tx.user.updateMany({
      where: { id: user.id, memberships: { every: { tenant: { ancestorIds: { hasSome: managed } } } } },
      data: {
        disabled: input.disabled,
        ...(input.disabled ? { sessionVersion: { increment: 1 } } : {}),
      },
    });
    if (count === 0) {
      throw new NotAllowed("this account has roles on domains you do not manage; remove its role here instead");
    }
    await appendAudit(tx, {
      tenantId: user.memberships[0]!.tenantId,
      actorId: access.actor.id,
      actorLabel: access.actor.label,
      action: input.disabled ? "user.disable" : "user.enable",
      targetType: "user",
      targetId: user.id,
      before: { email: user.email, disabled: user.disabled },
      after: { email: user.email, disabled: input.disabled },
    });
  });
}
