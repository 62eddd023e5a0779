import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { DevicesView } from "./devices-view.tsx";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("nav");
  return { title: t("sections.devices") };
}

export default function DevicesPage() {
  return <DevicesView />;
}
