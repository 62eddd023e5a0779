import type { Metadata } from "next";
import { NewCampaignView } from "./new-campaign-view.tsx";

export const metadata: Metadata = { title: "New firmware campaign" };

export default function NewCampaignPage() {
  return <NewCampaignView />;
}
