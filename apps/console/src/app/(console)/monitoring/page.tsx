import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { MonitoringProfilesView } from "./monitoring-profiles-view.tsx";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("monitoring.profiles");
  return { title: t("heading") };
}

export default function MonitoringPage() {
  return <MonitoringProfilesView />;
}
