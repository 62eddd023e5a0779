"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useCurrentDomain } from "@/components/domain/current-domain.tsx";
import { EmptyState } from "@/components/empty-state.tsx";
import { PageHeader } from "@/components/page-header.tsx";
import { PmsStatus } from "@/components/pms/pms-status.tsx";
import { AddRoomsForm } from "@/components/rooms/add-rooms-form.tsx";
import { CheckoutDialog, type CheckoutRoom } from "@/components/rooms/checkout-dialog.tsx";
import { RecentCheckouts } from "@/components/rooms/recent-checkouts.tsx";
import { RegisterDeviceDialog } from "@/components/rooms/register-device-dialog.tsx";
import { RoomGridView } from "@/components/rooms/room-grid.tsx";
import { allRooms, type RoomCell } from "@/components/rooms/room-states.ts";
import { RoomsImport } from "@/components/rooms/rooms-import.tsx";
import { SiteCards } from "@/components/sites/site-cards.tsx";
import { Button } from "@/components/ui/button.tsx";
import { ErrorNotice, Notice } from "@/components/ui/error-notice.tsx";
import { Pagination } from "@/components/ui/pagination.tsx";
import { useTRPC } from "@/trpc/client.tsx";

/** Domains whose rooms the console shows: a hotel, or a site of a chain or a business. */
const SITE_KINDS = new Set(["hotel", "site", "business"]);

/** How often the grid asks again, so that checkouts and devices coming online show without reloading. */
const GRID_REFRESH_MS = 2500;

const SITES_PER_PAGE = 30;

/** How often the sites' counts are asked again. */
const SUMMARY_REFRESH_MS = 30_000;

export function SitesView() {
  const t = useTranslations("sites");
  const tc = useTranslations("common");
  const current = useCurrentDomain();
  const trpc = useTRPC();
  const below = useQuery(
    trpc.sites.summaries.queryOptions({ tenantId: current.domain.id }, { refetchInterval: SUMMARY_REFRESH_MS }),
  );
  const sites = below.data ?? [];
  const isSite = SITE_KINDS.has(current.domain.kind);
  const [page, setPage] = useState(1);
  const shown = sites.slice((page - 1) * SITES_PER_PAGE, page * SITES_PER_PAGE);

  return (
    <>
      {isSite ? (
        <SiteRooms siteId={current.domain.id} />
      ) : (
        <PageHeader title={t("title")} description={t("description", { domain: current.domain.name })} />
      )}
      <ErrorNotice error={below.error} />
      {sites.length > 0 && (
        <section aria-labelledby="sites-heading" className="mt-8 space-y-3">
          <h2 id="sites-heading" className="text-base font-semibold">
            {isSite ? t("below") : t("list")}
          </h2>
          <SiteCards sites={shown} label={isSite ? t("below") : t("list")} />
          {sites.length > SITES_PER_PAGE && (
            <Pagination
              page={page}
              pageSize={SITES_PER_PAGE}
              total={sites.length}
              onPage={setPage}
              noun={(count) => tc("count.sites", { count })}
            />
          )}
        </section>
      )}
      {!isSite && below.data && sites.length === 0 && (
        <EmptyState title={t("emptyTitle", { domain: current.domain.name })}>
          {current.can("tenant.manage") ? t("emptyManage") : t("emptyOther")}
        </EmptyState>
      )}
    </>
  );
}

function SiteRooms({ siteId }: { siteId: string }) {
  const t = useTranslations("sites.rooms");
  const current = useCurrentDomain();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const grid = useQuery(trpc.sites.grid.queryOptions({ siteId }, { refetchInterval: GRID_REFRESH_MS }));
  const [panel, setPanel] = useState<"add" | "import" | null>(null);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [checkingOut, setCheckingOut] = useState<CheckoutRoom[] | null>(null);
  const [registering, setRegistering] = useState<RoomCell | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const canCheckout = current.can("room.checkout");
  const canManage = current.can("provisioning.manage");
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: trpc.sites.pathKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.checkout.pathKey() });
  };
  const rooms = grid.data ? allRooms(grid.data) : [];
  const chosen = rooms.filter((r) => selected.has(r.id) && r.device);
  const toggle = (panelName: "add" | "import") => setPanel((p) => (p === panelName ? null : panelName));

  return (
    <div className="space-y-6">
      <PageHeader
        title={t("title", { site: current.domain.name })}
        description={t("description")}
        actions={
          canManage && (
            <>
              <Button onClick={() => toggle("add")} aria-expanded={panel === "add"}>
                {t("add")}
              </Button>
              <Button onClick={() => toggle("import")} aria-expanded={panel === "import"}>
                {t("import")}
              </Button>
            </>
          )
        }
      />
      <PmsStatus siteId={siteId} />
      {notice && <Notice>{notice}</Notice>}
      {panel === "add" && grid.data && (
        <AddRoomsForm
          siteId={siteId}
          grid={grid.data}
          onCancel={() => setPanel(null)}
          onAdded={(message) => {
            setPanel(null);
            setNotice(message);
            refresh();
          }}
        />
      )}
      {panel === "import" && (
        <section aria-labelledby="import-heading" className="rounded-lg border border-slate-200 bg-white p-4">
          <div className="mb-3 flex items-center justify-between">
            <h2 id="import-heading" className="text-base font-semibold">
              {t("importHeading")}
            </h2>
            <Button tone="quiet" size="sm" onClick={() => setPanel(null)}>
              {t("close")}
            </Button>
          </div>
          <RoomsImport siteId={siteId} onImported={refresh} />
        </section>
      )}
      <ErrorNotice error={grid.error} />
      {grid.isPending && <p className="text-sm text-slate-500">{t("loading")}</p>}
      {grid.data && rooms.length === 0 && panel === null && (
        <EmptyState
          title={t("emptyTitle")}
          action={
            canManage && (
              <div className="flex gap-2">
                <Button tone="primary" onClick={() => setPanel("add")}>
                  {t("addRange")}
                </Button>
                <Button onClick={() => setPanel("import")}>{t("importCsv")}</Button>
              </div>
            )
          }
        >
          {canManage ? t("emptyManage") : t("emptyOther")}
        </EmptyState>
      )}
      {chosen.length > 0 && canCheckout && (
        <div className="flex flex-wrap items-center gap-3 rounded-lg border border-sky-200 bg-sky-50 px-3 py-2 text-sm">
          <span>{t("selected", { count: chosen.length, rooms: chosen.map((r) => r.number).join(", ") })}</span>
          <Button tone="primary" size="sm" onClick={() => setCheckingOut(chosen)}>
            {t("checkOutSelected")}
          </Button>
          <Button tone="quiet" size="sm" onClick={() => setSelected(new Set())}>
            {t("clearSelection")}
          </Button>
        </div>
      )}
      {grid.data && rooms.length > 0 && (
        <RoomGridView
          grid={grid.data}
          actions={{
            selected,
            onToggle: (room) =>
              setSelected((previous) => {
                const next = new Set(previous);
                if (next.has(room.id)) next.delete(room.id);
                else next.add(room.id);
                return next;
              }),
            onCheckout: canCheckout ? (picked) => setCheckingOut(picked) : undefined,
            onRegister: canManage ? (room) => setRegistering(room) : undefined,
          }}
        />
      )}
      {grid.data && <RecentCheckouts siteId={siteId} />}
      {checkingOut && (
        <CheckoutDialog
          rooms={checkingOut}
          onClose={() => setCheckingOut(null)}
          onDone={() => {
            setSelected(new Set());
            refresh();
          }}
        />
      )}
      {registering && (
        <RegisterDeviceDialog
          room={registering}
          onClose={() => setRegistering(null)}
          onRegistered={(message) => {
            setRegistering(null);
            setNotice(message);
            refresh();
          }}
        />
      )}
    </div>
  );
}
