import type { Metadata } from "next";
import { CampaignView } from "./campaign-view.tsx";

export const metadata: Metadata = { title: "Firmware campaign" };

export default async function CampaignPage({ params }: PageProps<"/firmware/campaigns/[campaignId]">) {
  const { campaignId } = await params;
  return <CampaignView campaignId={campaignId} />;
}
