import { readdirSync } from "node:fs";
import { join } from "node:path";
import { LOCALES as DOMAIN_LOCALES } from "@beacon/domain";
import { type MessageFormatElement, parse, TYPE } from "@formatjs/icu-messageformat-parser";
import { describe, expect, it } from "vitest";
import { LOCALES, negotiateLocale, resolveLocale } from "../src/i18n/locales.ts";
import { readMessages } from "../src/i18n/messages.ts";

// Every namespace in every language: same keys, messages that parse, French typography. A missing translation
// fails here rather than showing a key path to a French hotel.

const dir = join(import.meta.dirname, "..", "messages");
const messages = Object.fromEntries(LOCALES.map((locale) => [locale, flatten(readMessages(dir, locale))]));

function flatten(tree: unknown, prefix = ""): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof tree === "string") return { [prefix]: tree };
  for (const [key, value] of Object.entries(tree as Record<string, unknown>)) {
    Object.assign(out, flatten(value, prefix ? `${prefix}.${key}` : key));
  }
  return out;
}

/** The arguments a message uses (plural and select included), by name. */
function argumentsOf(elements: MessageFormatElement[], into = new Set<string>()): Set<string> {
  for (const element of elements) {
    if (element.type === TYPE.literal || element.type === TYPE.pound) continue;
    if (element.type === TYPE.tag) {
      argumentsOf(element.children, into);
      continue;
    }
    into.add(element.value);
    if (element.type === TYPE.plural || element.type === TYPE.select) {
      for (const option of Object.values(element.options)) argumentsOf(option.value, into);
    }
  }
  return into;
}

function pluralsOf(elements: MessageFormatElement[]): { value: string; options: string[] }[] {
  return elements.flatMap((element) =>
    element.type === TYPE.plural
      ? [
          { value: element.value, options: Object.keys(element.options) },
          ...Object.values(element.options).flatMap((o) => pluralsOf(o.value)),
        ]
      : element.type === TYPE.tag
        ? pluralsOf(element.children)
        : [],
  );
}

describe("console messages", () => {
  it("has a folder for each language, the same languages the domain accepts", () => {
    const folders = readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory());
    expect(folders.map((e) => e.name).sort()).toEqual([...LOCALES].sort());
    expect([...DOMAIN_LOCALES].sort()).toEqual([...LOCALES].sort());
  });

  it("has the same namespaces in every language", () => {
    const namespaces = LOCALES.map((locale) => readdirSync(join(dir, locale)).sort());
    for (const list of namespaces) expect(list).toEqual(namespaces[0]);
  });

  for (const locale of LOCALES) {
    for (const other of LOCALES) {
      if (other === locale) continue;
      it(`has every ${locale} key in ${other}`, () => {
        const missing = Object.keys(messages[locale]!).filter((key) => !(key in messages[other]!));
        expect(missing, `keys of ${locale} missing in ${other}`).toEqual([]);
      });
    }

    it(`parses every ${locale} message as ICU, with one and other in each plural`, () => {
      const problems: string[] = [];
      for (const [key, text] of Object.entries(messages[locale]!)) {
        try {
          const elements = parse(text);
          for (const plural of pluralsOf(elements)) {
            if (!plural.options.includes("other") || !plural.options.includes("one")) {
              problems.push(`${key}: the plural of {${plural.value}} needs both "one" and "other"`);
            }
          }
        } catch (error) {
          problems.push(`${key}: ${(error as Error).message}`);
        }
      }
      expect(problems).toEqual([]);
    });
  }

  it("uses in each translation only the arguments the English message is given", () => {
    const problems: string[] = [];
    for (const locale of LOCALES.filter((l) => l !== "en")) {
      for (const [key, text] of Object.entries(messages[locale]!)) {
        const english = messages.en![key];
        if (english === undefined) continue;
        const known = argumentsOf(parse(english));
        for (const name of argumentsOf(parse(text))) {
          if (!known.has(name)) problems.push(`${locale} ${key}: {${name}} is not an argument of the English text`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it("follows French typography: narrow no-break space before ; ! ?, no-break space before : and inside « »", () => {
    const problems: string[] = [];
    for (const [key, text] of Object.entries(messages.fr!)) {
      if (/(^|[^\u202f])[;!?](\s|$)/.test(text)) problems.push(`${key}: ; ! ? need U+202F before them: ${text}`);
      if (/(^|[^\u00a0\s]):(\s|$)/.test(text) || / :/.test(text)) {
        problems.push(`${key}: ":" needs U+00A0 before it: ${text}`);
      }
      if (/«(?!\u00a0)|(?<!\u00a0)»/.test(text)) problems.push(`${key}: « » need U+00A0 inside: ${text}`);
      if (text.includes("'")) problems.push(`${key}: use the apostrophe ’ (U+2019), not ': ${text}`);
    }
    expect(problems).toEqual([]);
  });
});

describe("a request's language", () => {
  it("is the person's own choice first, then the domain's default, then the browser's, then English", () => {
    expect(resolveLocale({ user: "fr", domain: "en", acceptLanguage: "en" })).toBe("fr");
    expect(resolveLocale({ user: null, domain: "fr", acceptLanguage: "en" })).toBe("fr");
    expect(resolveLocale({ user: null, domain: null, acceptLanguage: "fr-FR,fr;q=0.9,en;q=0.8" })).toBe("fr");
    expect(resolveLocale({ acceptLanguage: "de-DE,de;q=0.9" })).toBe("en");
    expect(resolveLocale({})).toBe("en");
    expect(resolveLocale({ user: "xx", domain: "yy" })).toBe("en");
  });

  it("takes the browser's best-rated language Beacon speaks", () => {
    expect(negotiateLocale("de;q=1, fr;q=0.5, en;q=0.4")).toBe("fr");
    expect(negotiateLocale("en-GB;q=0.2, fr-CA;q=0.8")).toBe("fr");
    expect(negotiateLocale("fr;q=0, en")).toBe("en");
    expect(negotiateLocale("es")).toBeNull();
    expect(negotiateLocale("es, *;q=0.1")).toBe("en");
    expect(negotiateLocale("")).toBeNull();
  });
});
