import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { ImagesView } from "./images-view.tsx";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("firmware");
  return { title: t("images.caption") };
}

export default function FirmwareImagesPage() {
  return <ImagesView />;
}
