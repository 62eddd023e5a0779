"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useCurrentDomain } from "@/components/domain/current-domain.tsx";
import { EmptyState } from "@/components/empty-state.tsx";
import { PageHeader } from "@/components/page-header.tsx";
import { CsvImport, type ImportReportView } from "@/components/provisioning/csv-import.tsx";
import { ProvisioningTabs } from "@/components/provisioning/provisioning-tabs.tsx";
import { useTRPC } from "@/trpc/client.tsx";
import type { RouterOutputs } from "@/trpc/types.ts";

type Report = RouterOutputs["provisioning"]["importCsv"];

const EXAMPLE = "site,room,serial\nHotel Azur,101,HWTC12345678\n\nsubscriber,line,loid\nS-1007,1,LOID-88231";

function view(report: Report): ImportReportView {
  return {
    dryRun: report.dryRun,
    accepted: report.accepted,
    rejected: report.rejected,
    warnings: report.warnings,
    facts: report.dryRun
      ? []
      : [
          `${report.imported} ${report.imported === 1 ? "device" : "devices"} pre-registered`,
          `${report.rows.filter((r) => r.provisioned).length} provisioned at once`,
        ],
    rows: report.rows.map((row) => ({
      line: row.line,
      target: row.target ?? "",
      device: [row.serialNumber, row.macAddress, row.loid].filter(Boolean).join(" · "),
      ok: row.ok,
      reasons: row.reasons,
      notes: row.provisioned ? ["the device had called Beacon already and is provisioned"] : [],
    })),
  };
}

export function ImportView() {
  const current = useCurrentDomain();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const importCsv = useMutation(trpc.provisioning.importCsv.mutationOptions());
  const tenantId = current.domain.id;
  return (
    <>
      <PageHeader
        title="Provisioning"
        description="Say which device belongs where before it is installed: it is configured by itself when it first calls Beacon."
      />
      <ProvisioningTabs />
      {current.can("provisioning.manage") ? (
        <div className="rounded-lg border border-slate-200 bg-white p-4">
          <CsvImport
            label="Pre-registrations (CSV)"
            example={EXAMPLE}
            help={
              <>
                <p>
                  The first line names the columns: a <code>room</code> (with <code>site</code>, the hotel's name, when
                  importing from above it) or a <code>subscriber</code> id (with its <code>line</code>, default 1), and
                  the device as <code>serial</code>, <code>mac</code> or <code>loid</code>. Optional:{" "}
                  <code>templates</code> (names separated by |) and <code>replace</code> (yes to swap a device).
                </p>
                <p className="mt-1">
                  Rooms and lines must exist already; to make a hotel's rooms and register their devices in one go, use
                  “Import spreadsheet” on the site's Sites page.
                </p>
              </>
            }
            check={async (csv) => view(await importCsv.mutateAsync({ tenantId, csv, dryRun: true }))}
            run={async (csv) => view(await importCsv.mutateAsync({ tenantId, csv, dryRun: false }))}
            onImported={() => void queryClient.invalidateQueries({ queryKey: trpc.sites.pathKey() })}
          />
        </div>
      ) : (
        <EmptyState title="Importing needs the operator role">
          An operator or owner of {current.domain.name} can import pre-registrations here.
        </EmptyState>
      )}
    </>
  );
}
