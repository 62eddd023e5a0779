import type { Metadata } from "next";
import { headers } from "next/headers";
import { consoleConfig } from "@/server/config.ts";
import { InboxView } from "./inbox-view.tsx";

export const metadata: Metadata = { title: "Provisioning" };

export default async function ProvisioningPage() {
  const host = (await headers()).get("host")?.replace(/:\d+$/, "") ?? "localhost";
  return <InboxView acsUrl={consoleConfig().cwmpUrl.replace("{host}", host)} />;
}
