import type { Metadata } from "next";
import { CampaignsView } from "./campaigns-view.tsx";

export const metadata: Metadata = { title: "Firmware campaigns" };

export default function FirmwarePage() {
  return <CampaignsView />;
}
