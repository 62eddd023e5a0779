import type { Metadata } from "next";
import { NextIntlClientProvider } from "next-intl";
import { getLocale, getTranslations } from "next-intl/server";
import type { ReactNode } from "react";
import { GuestCardMessages } from "@/i18n/guest-card-messages.tsx";
import { LOCALES } from "@/i18n/locales.ts";
import { loadMessages } from "@/i18n/messages.ts";
import "./globals.css";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("nav");
  return {
    title: { default: "Beacon", template: "%s · Beacon" },
    description: t("metaDescription"),
  };
}

export default async function RootLayout({ children }: { children: ReactNode }) {
  const locale = await getLocale();
  const cardMessages = Object.fromEntries(LOCALES.map((l) => [l, loadMessages(l).card ?? {}]));
  return (
    <html lang={locale}>
      <body className="min-h-screen font-sans">
        {/* Client components get the request's language and every namespace's messages from here. */}
        <NextIntlClientProvider>
          <GuestCardMessages messages={cardMessages}>{children}</GuestCardMessages>
        </NextIntlClientProvider>
      </body>
    </html>
  );
}
