import type { Db } from "@beacon/db";
import { appendAudit } from "../audit/audit-trail.ts";
import { Invalid, NotFound } from "../errors.ts";
import { authorize, type TenantAccess } from "../tenancy/tenant-access.ts";
import type { ScopedDb } from "../tenancy/tenant-scope.ts";

/** The console's languages; the console holds a message file per namespace for each of them. */
export const LOCALES = ["en", "fr"] as const;
export type Locale = (typeof LOCALES)[number];

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

function checkedLocale(value: string): Locale {
  if (!isLocale(value)) throw new Invalid(`unknown language ${value}; choose one of ${LOCALES.join(", ")}`);
  return value;
}

export interface LocalePreferences {
  /** The person's own choice. */
  user: Locale | null;
  /** The default of the domain being looked at (or of the person's top domain). */
  domain: Locale | null;
}

/**
 * What a signed-in person's console language depends on, read before a page renders. `domainId` is the domain in
 * the page's address; one out of the person's reach counts as absent (their top domain is used instead).
 */
export async function localePreferences(db: Db, userId: string, domainId?: string | null): Promise<LocalePreferences> {
  const user = await db.user.findUnique({
    where: { id: userId },
    select: {
      locale: true,
      memberships: { select: { tenant: { select: { id: true, name: true, ancestorIds: true, defaultLocale: true } } } },
    },
  });
  if (!user) return { user: null, domain: null };
  const roots = user.memberships.map((m) => m.tenant);
  let domainLocale: string | null | undefined;
  if (domainId && /^[0-9a-f-]{36}$/i.test(domainId) && roots.length > 0) {
    const tenant = await db.tenant.findFirst({
      where: { id: domainId, ancestorIds: { hasSome: roots.map((r) => r.id) } },
      select: { defaultLocale: true },
    });
    domainLocale = tenant?.defaultLocale;
  }
  if (domainLocale === undefined) {
    // The console's home domain: the shallowest of the person's domains, then by name (as the domain bar picks it).
    const home = [...roots].sort(
      (a, b) => a.ancestorIds.length - b.ancestorIds.length || a.name.localeCompare(b.name),
    )[0];
    domainLocale = home?.defaultLocale ?? null;
  }
  return { user: isLocale(user.locale) ? user.locale : null, domain: isLocale(domainLocale) ? domainLocale : null };
}

/** The signed-in person's own console language; null follows the domain's default, then the browser. */
export async function setOwnLocale(db: ScopedDb, access: TenantAccess, locale: string | null): Promise<void> {
  const value = locale === null ? null : checkedLocale(locale);
  await db.user.update({ where: { id: access.userId }, data: { locale: value } });
}

export interface DomainLanguages {
  /** The console's language for people of the domain who chose none; null follows their browser. */
  defaultLocale: Locale | null;
  /** The guest WiFi card's languages, side by side, in this order; at least one. */
  cardLocales: Locale[];
}

/** The languages a guest card prints in: the chosen ones, else the domain's default, else English. */
export function cardLocalesOf(tenant: { defaultLocale: string | null; cardLocales: readonly string[] }): Locale[] {
  const chosen = tenant.cardLocales.filter(isLocale);
  if (chosen.length > 0) return [...new Set(chosen)];
  return [isLocale(tenant.defaultLocale) ? tenant.defaultLocale : "en"];
}

/**
 * The languages of a guest card printed for a room of this domain: the nearest domain (itself, then its ancestors
 * within reach) that chose card languages or a default language decides; English otherwise.
 */
export async function guestCardLocales(db: ScopedDb, tenantId: string): Promise<Locale[]> {
  const tenant = await db.tenant.findUnique({ where: { id: tenantId }, select: { ancestorIds: true } });
  if (!tenant) throw new NotFound("domain");
  const chain = await db.tenant.findMany({
    where: { id: { in: tenant.ancestorIds } },
    select: { id: true, defaultLocale: true, cardLocales: true },
  });
  const byId = new Map(chain.map((t) => [t.id, t]));
  for (const id of [...tenant.ancestorIds].reverse()) {
    const t = byId.get(id);
    if (t && (t.cardLocales.some(isLocale) || isLocale(t.defaultLocale))) return cardLocalesOf(t);
  }
  return ["en"];
}

/** A domain's languages: the console default of its people and the guest card's languages. */
export async function setDomainLanguages(
  db: ScopedDb,
  access: TenantAccess,
  input: { domainId: string; defaultLocale: string | null; cardLocales: string[] },
): Promise<void> {
  const domain = await db.tenant.findUnique({
    where: { id: input.domainId },
    select: { id: true, ancestorIds: true, defaultLocale: true, cardLocales: true },
  });
  if (!domain) throw new NotFound("domain");
  authorize(access, "tenant.manage", domain);
  const defaultLocale = input.defaultLocale === null ? null : checkedLocale(input.defaultLocale);
  const cardLocales = [...new Set(input.cardLocales.map(checkedLocale))];
  if (cardLocales.length === 0) throw new Invalid("choose at least one language for the guest card");
  await db.$transaction(async (tx) => {
    await tx.tenant.update({ where: { id: domain.id }, data: { defaultLocale, cardLocales } });
    await appendAudit(tx, {
      tenantId: domain.id,
      actorId: access.actor.id,
      actorLabel: access.actor.label,
      action: "domain.languages",
      targetType: "domain",
      targetId: domain.id,
      before: { defaultLocale: domain.defaultLocale, cardLocales: domain.cardLocales },
      after: { defaultLocale, cardLocales },
    });
  });
}
