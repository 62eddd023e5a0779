import type { Db, Role, User } from "@beacon/db";
import { recordAudit } from "../audit/record-audit.ts";
import { generatePassword, hashPassword, passwordProblem } from "../auth/password.ts";
import { normalizeEmail } from "../auth/sign-in.ts";
import { clearSignInLimits } from "../auth/sign-in-limits.ts";
import { Conflict, Invalid, NotFound } from "../errors.ts";
import { ensurePlatformTenant } from "../tenants/tenants.ts";

export interface CreateUserInput {
  email: string;
  name?: string;
  password: string;
  tenantId: string;
  role: Role;
}

export interface Actor {
  id?: string | null;
  label: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+$/;

export async function createUser(db: Db, input: CreateUserInput, actor: Actor): Promise<User> {
  const email = normalizeEmail(input.email);
  if (!EMAIL.test(email)) throw new Invalid(`${input.email} is not an email address`);
  const problem = passwordProblem(input.password);
  if (problem) throw new Invalid(problem);
  if (await db.user.findUnique({ where: { email } })) throw new Conflict(`a user with email ${email} exists already`);
  if (!(await db.tenant.findUnique({ where: { id: input.tenantId } }))) throw new NotFound("domain");
  const passwordHash = await hashPassword(input.password);
  return db.$transaction(async (tx) => {
    const user = await tx.user.create({
      data: {
        email,
        name: input.name?.trim() ?? "",
        passwordHash,
        memberships: { create: { tenantId: input.tenantId, role: input.role } },
      },
    });
    await recordAudit(tx, {
      tenantId: input.tenantId,
      actorId: actor.id,
      actorLabel: actor.label,
      action: "user.create",
      targetType: "user",
      targetId: user.id,
      after: { email, role: input.role },
    });
    return user;
  });
}

export async function resetPassword(db: Db, email: string, password: string, actor: Actor): Promise<void> {
  const problem = passwordProblem(password);
  if (problem) throw new Invalid(problem);
  const user = await db.user.findUnique({ where: { email: normalizeEmail(email) }, include: { memberships: true } });
  if (!user) throw new NotFound(`user ${email}`);
  const passwordHash = await hashPassword(password);
  await db.$transaction(async (tx) => {
    // A new password ends every session made with the old one.
    await tx.user.update({
      where: { id: user.id },
      data: { passwordHash, sessionVersion: { increment: 1 } },
    });
    await clearSignInLimits(tx, user.email);
    const tenantId = user.memberships[0]?.tenantId ?? (await ensurePlatformTenant(db)).id;
    await recordAudit(tx, {
      tenantId,
      actorId: actor.id,
      actorLabel: actor.label,
      action: "user.reset-password",
      targetType: "user",
      targetId: user.id,
    });
  });
}

export type FirstAdmin = { created: false } | { created: true; email: string; generatedPassword?: string };

/**
 * Creates the platform owner when there is no user at all: from the given email/password, or with a generated
 * password that the caller prints once.
 */
export async function ensureFirstAdmin(db: Db, email?: string, password?: string): Promise<FirstAdmin> {
  const platform = await ensurePlatformTenant(db);
  if ((await db.user.count()) > 0) return { created: false };
  const generatedPassword = password ? undefined : generatePassword();
  const adminEmail = email ?? "admin@beacon.local";
  await createUser(
    db,
    {
      email: adminEmail,
      name: "Administrator",
      password: password ?? generatedPassword!,
      tenantId: platform.id,
      role: "owner",
    },
    { label: "system" },
  );
  return { created: true, email: normalizeEmail(adminEmail), generatedPassword };
}
