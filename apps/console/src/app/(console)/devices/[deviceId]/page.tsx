import type { Metadata } from "next";
import { DeviceView } from "./device-view.tsx";

export const metadata: Metadata = { title: "Device" };

export default async function DevicePage({ params }: PageProps<"/devices/[deviceId]">) {
  const { deviceId } = await params;
  return <DeviceView deviceId={deviceId} />;
}
