import { localePreferences } from "@beacon/domain";
import { headers } from "next/headers";
import { getRequestConfig } from "next-intl/server";
import { sessionUserId } from "@/server/auth.ts";
import { consoleDb } from "@/server/db.ts";
import { DOMAIN_HEADER, type LocaleSources, resolveLocale } from "./locales.ts";
import { loadMessages } from "./messages.ts";

/** next-intl's per-request configuration: the request's language (see locales.ts) and its messages. */
export default getRequestConfig(async () => {
  const requestHeaders = await headers();
  const sources: LocaleSources = { acceptLanguage: requestHeaders.get("accept-language") };
  try {
    const userId = await sessionUserId();
    if (userId) Object.assign(sources, await localePreferences(consoleDb(), userId, requestHeaders.get(DOMAIN_HEADER)));
  } catch (error) {
    // With the database away the page still renders (it shows the outage notice), in the browser's language.
    console.warn("[i18n] the signed-in person's language could not be read; using the browser's", error);
  }
  const locale = resolveLocale(sources);
  return { locale, messages: loadMessages(locale) };
});
