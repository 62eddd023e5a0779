"use client";

import { useTranslations } from "next-intl";
import { SectionTabs } from "@/components/navigation/section-tabs.tsx";

export function FirmwareTabs() {
  const t = useTranslations("firmware.tabs");
  const tabs = [
    { href: "/firmware", label: t("campaigns") },
    { href: "/firmware/images", label: t("images") },
  ];
  return <SectionTabs label={t("label")} tabs={tabs} />;
}
