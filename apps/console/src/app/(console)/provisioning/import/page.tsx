import type { Metadata } from "next";
import { ImportView } from "./import-view.tsx";

export const metadata: Metadata = { title: "Import pre-registrations" };

export default function ImportPage() {
  return <ImportView />;
}
