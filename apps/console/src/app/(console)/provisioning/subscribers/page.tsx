import type { Metadata } from "next";
import { SubscribersView } from "./subscribers-view.tsx";

export const metadata: Metadata = { title: "Subscribers" };

export default function SubscribersPage() {
  return <SubscribersView />;
}
