"use client";

import { SectionTabs } from "@/components/navigation/section-tabs.tsx";

const TABS = [
  { href: "/firmware", label: "Campaigns" },
  { href: "/firmware/images", label: "Images" },
] as const;

export function FirmwareTabs() {
  return <SectionTabs label="Firmware" tabs={TABS} />;
}
