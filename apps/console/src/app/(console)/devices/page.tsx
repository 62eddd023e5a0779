import type { Metadata } from "next";
import { EmptyState } from "@/components/empty-state.tsx";
import { PageHeader } from "@/components/page-header.tsx";

export const metadata: Metadata = { title: "Devices" };

export default function DevicesPage() {
  return (
    <>
      <PageHeader title="Devices" description="CPEs managed in this domain and the domains below it." />
      <EmptyState title="No devices yet">
        Devices appear when they send their first Inform to Beacon. Point the ACS URL of a CPE at this server, or move
        devices here from another domain.
      </EmptyState>
    </>
  );
}
