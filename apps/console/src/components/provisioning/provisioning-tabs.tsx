"use client";

import { SectionTabs } from "@/components/navigation/section-tabs.tsx";

const TABS = [
  { href: "/provisioning", label: "Unassigned devices" },
  { href: "/provisioning/subscribers", label: "Subscribers" },
  { href: "/provisioning/import", label: "Import pre-registrations" },
] as const;

export function ProvisioningTabs() {
  return <SectionTabs label="Provisioning" tabs={TABS} />;
}
