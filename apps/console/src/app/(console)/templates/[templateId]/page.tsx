import type { Metadata } from "next";
import { TemplateView } from "./template-view.tsx";

export const metadata: Metadata = { title: "Template" };

export default async function TemplatePage({ params }: PageProps<"/templates/[templateId]">) {
  const { templateId } = await params;
  return <TemplateView templateId={templateId} />;
}
