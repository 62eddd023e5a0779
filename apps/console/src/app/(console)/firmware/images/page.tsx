import type { Metadata } from "next";
import { ImagesView } from "./images-view.tsx";

export const metadata: Metadata = { title: "Firmware images" };

export default function FirmwareImagesPage() {
  return <ImagesView />;
}
