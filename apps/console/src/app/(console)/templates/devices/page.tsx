import type { Metadata } from "next";
import { DeviceDriftView } from "./device-drift-view.tsx";

export const metadata: Metadata = { title: "Device templates" };

export default function DeviceTemplatesPage() {
  return <DeviceDriftView />;
}
