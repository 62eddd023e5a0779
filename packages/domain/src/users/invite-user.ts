import type { Role } from "@beacon/db";
import { appendAudit } from "../audit/audit-trail.ts";
import { hashPassword, passwordProblem } from "../auth/password.ts";
import { normalizeEmail } from "../auth/sign-in.ts";
import { Conflict, Invalid, NotFound } from "../errors.ts";
import { authorize, type TenantAccess } from "../tenancy/tenant-access.ts";
import type { ScopedDb } from "../tenancy/tenant-scope.ts";

export interface InviteUserInput {
  email: string;
  name?: string;
  /** The first password, passed on by the inviter; the person can have it reset later. */
  password: string;
  tenantId: string;
  role: Role;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Creates an account with a role on a domain the inviter manages. */
export async function inviteUser(db: ScopedDb, access: TenantAccess, input: InviteUserInput): Promise<{ id: string }> {
  const domain = await db.tenant.findUnique({
    where: { id: input.tenantId },
    select: { id: true, name: true, ancestorIds: true },
  });
  if (!domain) throw new NotFound("domain");
  authorize(access, "user.manage", domain);
  const email = normalizeEmail(input.email);
  if (!EMAIL.test(email)) throw new Invalid(`${input.email.trim() || "that"} is not an email address`);
  const problem = passwordProblem(input.password);
  if (problem) throw new Invalid(problem);
  const passwordHash = await hashPassword(input.password);
  // Emails are unique across Beacon; the unique index answers, so no other domain's accounts are looked at here.
  try {
    return await db.$transaction(async (tx) => {
      const user = await tx.user.create({
        data: { email, name: input.name?.trim() ?? "", passwordHash },
        select: { id: true },
      });
      await tx.membership.create({ data: { userId: user.id, tenantId: domain.id, role: input.role } });
      await appendAudit(tx, {
        tenantId: domain.id,
        actorId: access.actor.id,
        actorLabel: access.actor.label,
        action: "user.invite",
        targetType: "user",
        targetId: user.id,
        after: { email, role: input.role, domain: domain.name },
      });
      return user;
    });
  } catch (error) {
    if ((error as { code?: string }).code === "P2002") throw new Conflict("an account with this email exists already");
    throw error;
  }
}
