import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { SitesView } from "./sites-view.tsx";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("nav");
  return { title: t("sections.sites") };
}

export default function SitesPage() {
  return <SitesView />;
}
