import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { AbstractIntlMessages } from "next-intl";
import type { Locale } from "./locales.ts";

/**
 * The console's messages: `messages/<locale>/<namespace>.json`, one file per namespace, read from disk (every file
 * of the folder, so a new namespace needs no list to edit). The folder is found from the console's working
 * directory (`next start`/`next dev` in apps/console) or the repository root (tests).
 */

export function messagesDir(): string {
  const candidates = [join(process.cwd(), "messages"), join(process.cwd(), "apps", "console", "messages")];
  const found = candidates.find((dir) => existsSync(join(dir, "en")));
  if (!found) throw new Error(`the console's messages folder is missing (looked in ${candidates.join(", ")})`);
  return found;
}

/** Every namespace of one language, keyed by file name; a file that is not valid JSON fails loudly. */
export function readMessages(dir: string, locale: string): Record<string, AbstractIntlMessages> {
  const folder = join(dir, locale);
  const messages: Record<string, AbstractIntlMessages> = {};
  for (const file of readdirSync(folder).sort()) {
    if (!file.endsWith(".json")) continue;
    const path = join(folder, file);
    try {
      messages[file.slice(0, -".json".length)] = JSON.parse(readFileSync(path, "utf8")) as AbstractIntlMessages;
    } catch (error) {
      throw new Error(`${path} is not valid JSON: ${(error as Error).message}`);
    }
  }
  return messages;
}

const cache = new Map<Locale, Record<string, AbstractIntlMessages>>();

/** A language's messages; read once per process, except in development, where edits show on the next request. */
export function loadMessages(locale: Locale): Record<string, AbstractIntlMessages> {
  if (process.env.NODE_ENV === "development") return readMessages(messagesDir(), locale);
  let messages = cache.get(locale);
  if (!messages) {
    messages = readMessages(messagesDir(), locale);
    cache.set(locale, messages);
  }
  return messages;
}
