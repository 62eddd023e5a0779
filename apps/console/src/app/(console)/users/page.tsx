import type { Metadata } from "next";
import { EmptyState } from "@/components/empty-state.tsx";
import { PageHeader } from "@/components/page-header.tsx";

export const metadata: Metadata = { title: "Users" };

export default function UsersPage() {
  return (
    <>
      <PageHeader title="Users" description="People who may sign in, and their role on each domain." />
      <EmptyState title="Only you so far">
        Invite a colleague or a customer by giving them a role on a domain: owner, operator, support or viewer.
      </EmptyState>
    </>
  );
}
