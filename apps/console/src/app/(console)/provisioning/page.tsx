import type { Metadata } from "next";
import { InboxView } from "./inbox-view.tsx";

export const metadata: Metadata = { title: "Provisioning" };

export default function ProvisioningPage() {
  return <InboxView />;
}
