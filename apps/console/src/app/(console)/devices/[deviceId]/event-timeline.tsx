"use client";

import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { LocalTime } from "@/components/local-time.tsx";
import { ErrorNotice } from "@/components/ui/error-notice.tsx";
import { useTRPC } from "@/trpc/client.tsx";

/** The CWMP events the device reported in its Informs, newest first. */
export function EventTimeline({ deviceId }: { deviceId: string }) {
  const t = useTranslations("device.events");
  const trpc = useTRPC();
  const events = useQuery(trpc.devices.events.queryOptions({ deviceId }));
  return (
    <section aria-labelledby="events-heading">
      <h2 id="events-heading" className="mb-3 text-base font-semibold">
        {t("title")}
      </h2>
      <ErrorNotice error={events.error} />
      {events.data?.length === 0 && (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white px-4 py-6 text-center text-sm text-slate-600">
          {t("empty")}
        </p>
      )}
      {events.data && events.data.length > 0 && (
        <ol className="space-y-2 rounded-lg border border-slate-200 bg-white p-4 text-sm">
          {events.data.map((event) => (
            <li key={event.id} className="flex flex-wrap items-baseline gap-x-3">
              <span className="w-48 shrink-0 text-slate-600">
                <LocalTime value={event.at} />
              </span>
              <span className="text-slate-900">{event.meaning}</span>
              <span className="font-mono text-xs text-slate-500">
                {event.code}
                {event.commandKey ? ` · ${event.commandKey}` : ""}
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
