import type { Db, Role } from "@beacon/db";
import { recordAudit } from "../audit/record-audit.ts";
import { hashPassword, passwordProblem } from "../auth/password.ts";
import { normalizeEmail } from "../auth/sign-in.ts";
import { Conflict, Invalid, NotFound } from "../errors.ts";
import type { Actor } from "./users.ts";

export interface InviteUserInput {
  email: string;
  name?: string;
  /** The first password, passed on by the inviter; the person can have it reset later. */
  password: string;
  role: Role;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Gives a person a role on a domain the inviter manages (the caller has checked reach and `user.manage`; `db` is
 * unscoped because an email is unique across Beacon, so the account may already exist where the inviter cannot
 * see it).
 *
 * A new email gets an account with the inviter's password. An email that already has an account, anywhere, gets the
 * role on this domain and keeps its own password and name: Beacon never lets one person set another's password.
 * Both answer the same (the account's id, the same audit record, the password hashed either way so that the time
 * taken is the same), so an inviter does not learn whether the email had an account elsewhere; the console tells the
 * inviter that someone who already has an account keeps their password. Only an account that already holds a role on
 * this very domain, which the inviter sees in the domain's user list anyway, is answered with a conflict.
 * What an inviter can still find out, they find out as anyone could about a member of their own domain (the name,
 * the last sign-in), or by trying to sign in as the person, which the sign-in limits slow down.
 */
export async function inviteUser(
  db: Db,
  domainId: string,
  actor: Actor,
  input: InviteUserInput,
): Promise<{ id: string }> {
  const domain = await db.tenant.findUnique({ where: { id: domainId }, select: { id: true, name: true } });
  if (!domain) throw new NotFound("domain");
  const email = normalizeEmail(input.email);
  if (!EMAIL.test(email)) throw new Invalid(`${input.email.trim() || "that"} is not an email address`);
  const problem = passwordProblem(input.password);
  if (problem) throw new Invalid(problem);
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.$transaction(async (tx) => {
      const existing = await tx.user.findUnique({
        where: { email },
        select: { id: true, memberships: { where: { tenantId: domain.id }, select: { id: true } } },
      });
      if (existing?.memberships.length) throw new Conflict(`${email} already has a role on ${domain.name}`);
      const user =
        existing ??
        (await tx.user.create({ data: { email, name: input.name?.trim() ?? "", passwordHash }, select: { id: true } }));
      await tx.membership.create({ data: { userId: user.id, tenantId: domain.id, role: input.role } });
      await recordAudit(tx, {
        tenantId: domain.id,
        actorId: actor.id,
        actorLabel: actor.label,
        action: "user.invite",
        targetType: "user",
        targetId: user.id,
        after: { email, role: input.role, domain: domain.name },
      });
      return { id: user.id };
    });
  } catch (error) {
    // Two invitations of one new email at the same moment: the second finds the account on a retry.
    if ((error as { code?: string }).code === "P2002") {
      throw new Conflict(`${email} was being invited at the same moment; try again`);
    }
    throw error;
  }
}
