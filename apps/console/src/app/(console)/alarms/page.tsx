import type { Metadata } from "next";
import { AlarmsView } from "./alarms-view.tsx";

export const metadata: Metadata = { title: "Alarms" };

export default function AlarmsPage() {
  return <AlarmsView />;
}
