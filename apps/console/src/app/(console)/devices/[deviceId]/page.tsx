import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { DeviceView } from "./device-view.tsx";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("devices.page");
  return { title: t("metaTitle") };
}

export default async function DevicePage({ params }: PageProps<"/devices/[deviceId]">) {
  const { deviceId } = await params;
  return <DeviceView deviceId={deviceId} />;
}
