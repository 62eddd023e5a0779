"use client";

import { useTranslations } from "next-intl";
import { SectionTabs } from "@/components/navigation/section-tabs.tsx";

export function ProvisioningTabs() {
  const t = useTranslations("provisioning.tabs");
  const tabs = [
    { href: "/provisioning", label: t("inbox") },
    { href: "/provisioning/subscribers", label: t("subscribers") },
    { href: "/provisioning/import", label: t("import") },
  ];
  return <SectionTabs label={t("label")} tabs={tabs} />;
}
