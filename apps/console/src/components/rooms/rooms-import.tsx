"use client";

import { useMutation } from "@tanstack/react-query";
import { CsvImport, type ImportReportView } from "@/components/provisioning/csv-import.tsx";
import { useTRPC } from "@/trpc/client.tsx";
import type { RouterOutputs } from "@/trpc/types.ts";

type RoomsReport = RouterOutputs["sites"]["importRooms"];

const EXAMPLE = "room,floor,serial\n101,1,HWTC12345678\n102,1,\n201,2,00:11:22:33:44:55";

function view(report: RoomsReport): ImportReportView {
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  const facts = [
    plural(report.newRooms, "new room", "new rooms"),
    ...(report.newFloors ? [plural(report.newFloors, "new floor", "new floors")] : []),
    ...(report.dryRun ? [] : [plural(report.devicesRegistered, "device registered", "devices registered")]),
  ];
  return {
    dryRun: report.dryRun,
    accepted: report.accepted,
    rejected: report.rejected,
    warnings: report.warnings,
    facts,
    rows: report.rows.map((row) => ({
      line: row.line,
      target: row.room ? `room ${row.room}${row.roomIsNew ? " (new)" : ""}${row.floor ? ` · ${row.floor}` : ""}` : "",
      device: row.device
        ? [row.device.serialNumber, row.device.macAddress, row.device.loid].filter(Boolean).join(" · ")
        : "",
      ok: row.ok,
      reasons: row.reasons,
      notes: [...row.notes, ...(row.provisioned ? ["the device had called Beacon already and is provisioned"] : [])],
    })),
  };
}

/** A site's rooms and the devices that belong in them, from a spreadsheet. */
export function RoomsImport({ siteId, onImported }: { siteId: string; onImported: () => void }) {
  const trpc = useTRPC();
  const importRooms = useMutation(trpc.sites.importRooms.mutationOptions());
  return (
    <CsvImport
      label="Rooms (CSV)"
      example={EXAMPLE}
      help={
        <>
          <p>
            The first line names the columns: <code>room</code> (required), and optionally <code>floor</code>,{" "}
            <code>building</code>, <code>name</code>, and the room's device as <code>serial</code>, <code>mac</code> or{" "}
            <code>loid</code> (with <code>templates</code> and <code>replace</code> if needed). Commas, semicolons or
            tabs separate the columns.
          </p>
          <p className="mt-1">
            Check the file first: nothing changes until you import its good rows. Rooms that exist stay as they are.
          </p>
        </>
      }
      check={async (csv) => view(await importRooms.mutateAsync({ siteId, csv, dryRun: true }))}
      run={async (csv) => view(await importRooms.mutateAsync({ siteId, csv, dryRun: false }))}
      onImported={onImported}
    />
  );
}
