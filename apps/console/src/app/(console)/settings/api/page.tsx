import { WEBHOOK_EVENT_DESCRIPTIONS, WEBHOOK_EVENT_TYPES } from "@beacon/domain";
import type { Metadata } from "next";
import { ApiReference } from "./api-reference.tsx";
import { ApiSettingsView } from "./api-settings-view.tsx";

export const metadata: Metadata = { title: "API & webhooks" };

export default function ApiSettingsPage() {
  const events = WEBHOOK_EVENT_TYPES.map((type) => ({ type, description: WEBHOOK_EVENT_DESCRIPTIONS[type] }));
  return (
    <>
      <ApiSettingsView events={events} />
      <ApiReference />
    </>
  );
}
