"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useCurrentDomain } from "@/components/domain/current-domain.tsx";
import { EmptyState } from "@/components/empty-state.tsx";
import { PageHeader } from "@/components/page-header.tsx";
import { TemplateEditor } from "@/components/templates/template-editor.tsx";
import { TemplatesTabs } from "@/components/templates/templates-tabs.tsx";
import { Button } from "@/components/ui/button.tsx";
import { ErrorNotice } from "@/components/ui/error-notice.tsx";
import { Pagination } from "@/components/ui/pagination.tsx";
import { useTRPC } from "@/trpc/client.tsx";

const PAGE_SIZE = 25;

export function TemplatesView() {
  const current = useCurrentDomain();
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const templates = useQuery(trpc.templates.list.queryOptions({ tenantId: current.domain.id }));
  const [creating, setCreating] = useState(false);
  const [page, setPage] = useState(1);
  const canManage = current.can("template.manage");
  const rows = templates.data ?? [];
  const shown = rows.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);

  return (
    <>
      <PageHeader
        title="Templates"
        description={`Settings for devices, in Beacon's words: ${current.domain.name}'s own templates and those it inherits from the domains above.`}
        actions={
          canManage && (
            <Button tone="primary" onClick={() => setCreating((c) => !c)} aria-expanded={creating}>
              New template
            </Button>
          )
        }
      />
      <TemplatesTabs />
      {creating && (
        <div className="mb-6">
          <TemplateEditor
            mode="create"
            tenantId={current.domain.id}
            onCancel={() => setCreating(false)}
            onSaved={({ templateId }) => {
              void queryClient.invalidateQueries({ queryKey: trpc.templates.pathKey() });
              router.push(current.withDomain(`/templates/${templateId}`));
            }}
          />
        </div>
      )}
      <ErrorNotice error={templates.error} />
      {templates.isPending && <p className="text-sm text-slate-500">Loading templates…</p>}
      {templates.data && rows.length === 0 && !creating && (
        <EmptyState
          title="No templates yet"
          action={
            canManage && (
              <Button tone="primary" onClick={() => setCreating(true)}>
                Create the first template
              </Button>
            )
          }
        >
          A template says once what devices should carry: the guest WiFi name and passphrase, the inform interval, NTP
          servers… Beacon translates it for each device's data model. Mark one “apply automatically” and every device
          provisioned in this domain gets it.
        </EmptyState>
      )}
      {shown.length > 0 && (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="min-w-full text-left text-sm">
            <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-600">
              <tr>
                <th scope="col" className="px-3 py-2">
                  Name
                </th>
                <th scope="col" className="px-3 py-2">
                  Version
                </th>
                <th scope="col" className="px-3 py-2">
                  Domain
                </th>
                <th scope="col" className="px-3 py-2">
                  Applied
                </th>
                <th scope="col" className="px-3 py-2">
                  Description
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {shown.map((t) => (
                <tr key={t.id}>
                  <td className="px-3 py-2">
                    <Link
                      href={current.withDomain(`/templates/${t.id}`)}
                      className="font-medium text-sky-800 hover:underline"
                    >
                      {t.name}
                    </Link>
                  </td>
                  <td className="px-3 py-2 tabular-nums">{t.latestVersion}</td>
                  <td className="px-3 py-2">
                    {t.owner.name}
                    {t.inherited && (
                      <span className="ml-2 rounded-full bg-slate-100 px-2 py-0.5 text-xs text-slate-700">
                        inherited
                      </span>
                    )}
                  </td>
                  <td className="px-3 py-2">{t.autoApply ? "Automatically" : "By hand"}</td>
                  <td className="px-3 py-2 text-slate-600">{t.description || "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {rows.length > PAGE_SIZE && (
        <Pagination page={page} pageSize={PAGE_SIZE} total={rows.length} onPage={setPage} noun="templates" />
      )}
    </>
  );
}
