import type { Metadata } from "next";
import { DomainsView } from "./domains-view.tsx";

export const metadata: Metadata = { title: "Domains" };

export default function DomainsPage() {
  return <DomainsView />;
}
