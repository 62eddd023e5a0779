"use client";

import { useMutation } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { CsvImport, type ImportReportView } from "@/components/provisioning/csv-import.tsx";
import { useTRPC } from "@/trpc/client.tsx";
import type { RouterOutputs } from "@/trpc/types.ts";

type RoomsReport = RouterOutputs["sites"]["importRooms"];
type Translate = ReturnType<typeof useTranslations<"rooms.import">>;

const EXAMPLE = "room,floor,serial\n101,1,HWTC12345678\n102,1,\n201,2,00:11:22:33:44:55";

function view(report: RoomsReport, t: Translate): ImportReportView {
  const facts = [
    t("newRooms", { count: report.newRooms }),
    ...(report.newFloors ? [t("newFloors", { count: report.newFloors })] : []),
    ...(report.dryRun ? [] : [t("registered", { count: report.devicesRegistered })]),
  ];
  return {
    dryRun: report.dryRun,
    accepted: report.accepted,
    rejected: report.rejected,
    warnings: report.warnings,
    facts,
    rows: report.rows.map((row) => ({
      line: row.line,
      target: row.room
        ? `${t(row.roomIsNew ? "targetNew" : "target", { room: row.room })}${row.floor ? ` · ${row.floor}` : ""}`
        : "",
      device: row.device
        ? [row.device.serialNumber, row.device.macAddress, row.device.loid].filter(Boolean).join(" · ")
        : "",
      ok: row.ok,
      reasons: row.reasons,
      notes: [...row.notes, ...(row.provisioned ? [t("provisioned")] : [])],
    })),
  };
}

/** A site's rooms and the devices that belong in them, from a spreadsheet. */
export function RoomsImport({ siteId, onImported }: { siteId: string; onImported: () => void }) {
  const t = useTranslations("rooms.import");
  const trpc = useTRPC();
  const importRooms = useMutation(trpc.sites.importRooms.mutationOptions());
  return (
    <CsvImport
      label={t("label")}
      example={EXAMPLE}
      help={
        <>
          <p>{t.rich("help", { code: (chunks) => <code>{chunks}</code> })}</p>
          <p className="mt-1">{t("helpCheck")}</p>
        </>
      }
      check={async (csv) => view(await importRooms.mutateAsync({ siteId, csv, dryRun: true }), t)}
      run={async (csv) => view(await importRooms.mutateAsync({ siteId, csv, dryRun: false }), t)}
      onImported={onImported}
    />
  );
}
