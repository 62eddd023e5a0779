/**
 * The console's languages and how a request's language is chosen: the person's own choice, then the default of the
 * domain being looked at, then the browser's Accept-Language, then English. Shared by server and client code.
 */

export const LOCALES = ["en", "fr"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "en";

/** Each language in its own words, for the language menus. */
export const LOCALE_NAMES: Record<Locale, string> = { en: "English", fr: "Français" };

/** Request header the proxy sets to the page's `?domain=`, so that the language can follow that domain. */
export const DOMAIN_HEADER = "x-beacon-domain";

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

/**
 * The best of our languages for an Accept-Language header ("fr-FR,fr;q=0.9,en;q=0.8" -> "fr"), by quality then
 * order; null when it names none of them.
 */
export function negotiateLocale(header: string | null | undefined): Locale | null {
  if (!header) return null;
  const ranges = header
    .split(",")
    .map((part, index) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      const quality = q === undefined ? 1 : Number(q.slice(2));
      return { language: tag.trim().toLowerCase().split("-")[0] ?? "", quality, index };
    })
    .filter((range) => range.language && Number.isFinite(range.quality) && range.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  for (const range of ranges) {
    if (isLocale(range.language)) return range.language;
    if (range.language === "*") return DEFAULT_LOCALE;
  }
  return null;
}

export interface LocaleSources {
  user?: string | null;
  domain?: string | null;
  acceptLanguage?: string | null;
}

/** The language of a request from what is known about it, most specific first. */
export function resolveLocale(sources: LocaleSources): Locale {
  if (isLocale(sources.user)) return sources.user;
  if (isLocale(sources.domain)) return sources.domain;
  return negotiateLocale(sources.acceptLanguage) ?? DEFAULT_LOCALE;
}
