"use client";

import { SectionTabs } from "@/components/navigation/section-tabs.tsx";

const TABS = [
  { href: "/templates", label: "Templates" },
  { href: "/templates/devices", label: "A device's templates and drift" },
] as const;

export function TemplatesTabs() {
  return <SectionTabs label="Templates" tabs={TABS} />;
}
