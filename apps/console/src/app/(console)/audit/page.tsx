import type { Metadata } from "next";
import { EmptyState } from "@/components/empty-state.tsx";
import { PageHeader } from "@/components/page-header.tsx";

export const metadata: Metadata = { title: "Audit log" };

export default function AuditPage() {
  return (
    <>
      <PageHeader title="Audit log" description="Who changed what, when, and on which domain or device." />
      <EmptyState title="Nothing recorded yet">
        Every change made in the console or by the CLI is recorded here: domains created, users invited, devices moved,
        tasks queued.
      </EmptyState>
    </>
  );
}
