import type { Metadata } from "next";
import { DashboardView } from "./dashboard-view.tsx";

export const metadata: Metadata = { title: "Dashboard" };

export default function DashboardPage() {
  return <DashboardView />;
}
