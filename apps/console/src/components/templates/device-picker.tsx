"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useDeferredValue, useId, useState } from "react";
import { useCurrentDomain } from "@/components/domain/current-domain.tsx";
import { Button } from "@/components/ui/button.tsx";
import { ErrorNotice } from "@/components/ui/error-notice.tsx";
import { useTRPC } from "@/trpc/client.tsx";

export interface PickedDevice {
  id: string;
  serialNumber: string;
}

/** Finds a device of the current domain (and below) by serial, MAC or IP address. */
export function DevicePicker({
  label = "Device",
  value,
  onChange,
}: {
  label?: string;
  value: PickedDevice | null;
  onChange: (device: PickedDevice | null) => void;
}) {
  const current = useCurrentDomain();
  const trpc = useTRPC();
  const id = useId();
  const [search, setSearch] = useState("");
  const deferred = useDeferredValue(search.trim());
  const devices = useQuery(
    trpc.devices.list.queryOptions(
      { tenantId: current.domain.id, search: deferred || undefined, page: 1, pageSize: 8 },
      { enabled: value === null, placeholderData: keepPreviousData },
    ),
  );
  if (value) {
    return (
      <div>
        <p className="text-sm font-medium text-slate-700">{label}</p>
        <p className="mt-1 flex items-center gap-2 text-sm">
          <span className="rounded-md border border-slate-300 bg-white px-2.5 py-1 font-mono">
            {value.serialNumber}
          </span>
          <Button size="sm" tone="quiet" onClick={() => onChange(null)}>
            Choose another
          </Button>
        </p>
      </div>
    );
  }
  const rows = devices.data?.rows ?? [];
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      <input
        id={id}
        type="search"
        value={search}
        onChange={(event) => setSearch(event.target.value)}
        placeholder="Serial, MAC or IP address"
        className="mt-1 block w-full max-w-sm rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm shadow-sm focus:border-sky-600 focus:outline-none focus:ring-1 focus:ring-sky-600"
      />
      <ErrorNotice error={devices.error} />
      <ul
        aria-label="Matching devices"
        className="mt-2 max-w-sm divide-y divide-slate-100 rounded-md border border-slate-200 bg-white"
      >
        {rows.map((device) => (
          <li key={device.id}>
            <button
              type="button"
              onClick={() => onChange({ id: device.id, serialNumber: device.serialNumber })}
              className="block w-full px-3 py-1.5 text-left text-sm hover:bg-sky-50"
            >
              <span className="font-mono">{device.serialNumber}</span>{" "}
              <span className="text-xs text-slate-500">
                {device.modelName ?? device.productClass} · {device.domain.path.at(-1)}
              </span>
            </button>
          </li>
        ))}
        {devices.data && rows.length === 0 && (
          <li className="px-3 py-1.5 text-sm text-slate-500">No device matches.</li>
        )}
        {devices.isPending && <li className="px-3 py-1.5 text-sm text-slate-500">Searching…</li>}
      </ul>
    </div>
  );
}
