"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useCurrentDomain } from "@/components/domain/current-domain.tsx";
import { PageHeader } from "@/components/page-header.tsx";
import { DevicePicker } from "@/components/templates/device-picker.tsx";
import { DeviceTemplates } from "@/components/templates/device-templates.tsx";
import { TemplatesTabs } from "@/components/templates/templates-tabs.tsx";
import { useTRPC } from "@/trpc/client.tsx";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function DeviceDriftView() {
  const current = useCurrentDomain();
  const trpc = useTRPC();
  const router = useRouter();
  const requested = useSearchParams().get("device");
  const deviceId = requested && UUID.test(requested) ? requested : null;
  const device = useQuery(trpc.devices.get.queryOptions({ deviceId: deviceId ?? "" }, { enabled: Boolean(deviceId) }));
  const pick = (id: string | undefined) => router.replace(current.withDomain("/templates/devices", { device: id }));
  return (
    <>
      <PageHeader
        title="Templates"
        description="Which templates a device carries, and whether its values still match them."
      />
      <TemplatesTabs />
      <div className="space-y-6">
        <DevicePicker
          value={deviceId ? { id: deviceId, serialNumber: device.data?.serialNumber ?? "…" } : null}
          onChange={(picked) => pick(picked?.id)}
        />
        {deviceId && (
          <section aria-label="Templates of the device" className="space-y-3">
            <p className="text-sm">
              <Link href={current.withDomain(`/devices/${deviceId}`)} className="text-sky-800 hover:underline">
                Open the device page
              </Link>
            </p>
            <DeviceTemplates deviceId={deviceId} />
          </section>
        )}
      </div>
    </>
  );
}
