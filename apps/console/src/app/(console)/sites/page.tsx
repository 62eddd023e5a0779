import type { Metadata } from "next";
import { SitesView } from "./sites-view.tsx";

export const metadata: Metadata = { title: "Sites" };

export default function SitesPage() {
  return <SitesView />;
}
