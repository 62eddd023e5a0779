import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { DashboardView } from "./dashboard-view.tsx";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("nav");
  return { title: t("sections.dashboard") };
}

export default function DashboardPage() {
  return <DashboardView />;
}
