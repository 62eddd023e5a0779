import type { Metadata } from "next";
import { EmptyState } from "@/components/empty-state.tsx";
import { PageHeader } from "@/components/page-header.tsx";

export const metadata: Metadata = { title: "Dashboard" };

export default function DashboardPage() {
  return (
    <>
      <PageHeader title="Dashboard" description="How the devices of this domain are doing." />
      <EmptyState title="No devices have contacted Beacon yet">
        Set the ACS URL of your CPEs to this Beacon server (TR-069 parameter ManagementServer.URL). Each device appears
        here after its first Inform.
      </EmptyState>
    </>
  );
}
