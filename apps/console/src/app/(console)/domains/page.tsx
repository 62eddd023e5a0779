import type { Metadata } from "next";
import { EmptyState } from "@/components/empty-state.tsx";
import { PageHeader } from "@/components/page-header.tsx";

export const metadata: Metadata = { title: "Domains" };

export default function DomainsPage() {
  return (
    <>
      <PageHeader
        title="Domains"
        description="Integrators, customers and sites, each with its own devices and users."
      />
      <EmptyState title="No domains below yours yet">
        Create a domain for each customer or site, then move its devices there and invite its people.
      </EmptyState>
    </>
  );
}
