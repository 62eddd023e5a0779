import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { PmsSettingsView } from "./pms-settings-view.tsx";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("pms");
  return { title: t("status.heading") };
}

export default function PmsSettingsPage() {
  return <PmsSettingsView />;
}
