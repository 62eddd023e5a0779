"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { type FormEvent, useState } from "react";
import { Button } from "@/components/ui/button.tsx";
import { ErrorNotice } from "@/components/ui/error-notice.tsx";
import { useTRPC } from "@/trpc/client.tsx";

/** A device's tags (targets of firmware campaigns), with adding and removing for those who may configure it. */
export function DeviceTags({
  deviceId,
  tags,
  canEdit,
}: {
  deviceId: string;
  tags: readonly string[];
  canEdit: boolean;
}) {
  const t = useTranslations("firmware.tags");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState("");
  const save = useMutation(
    trpc.devices.setTags.mutationOptions({
      onSuccess: () => {
        setDraft("");
        return queryClient.invalidateQueries({ queryKey: trpc.devices.get.queryKey({ deviceId }) });
      },
    }),
  );
  const add = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const tag = draft.trim();
    if (tag) save.mutate({ deviceId, tags: [...tags, tag] });
  };
  return (
    <section aria-labelledby="device-tags-heading" className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="device-tags-heading" className="text-base font-semibold">
        {t("heading")}
      </h2>
      <p className="text-xs text-slate-500">{t("hint")}</p>
      <ul className="mt-2 flex flex-wrap gap-2" aria-label={t("heading")}>
        {tags.length === 0 && <li className="text-sm text-slate-500">{t("none")}</li>}
        {tags.map((tag) => (
          <li key={tag} className="inline-flex items-center gap-1 rounded-full bg-slate-100 px-2.5 py-0.5 text-sm">
            {tag}
            {canEdit && (
              <button
                type="button"
                aria-label={t("remove", { tag })}
                className="rounded-full px-1 text-slate-500 hover:bg-slate-200 hover:text-slate-900 focus:outline-2 focus:outline-sky-600"
                disabled={save.isPending}
                onClick={() => save.mutate({ deviceId, tags: tags.filter((x) => x !== tag) })}
              >
                ×
              </button>
            )}
          </li>
        ))}
      </ul>
      {canEdit && (
        <form onSubmit={add} className="mt-3 flex flex-wrap items-end gap-2">
          <label className="text-sm">
            <span className="block text-slate-700">{t("add")}</span>
            <input
              value={draft}
              onChange={(e) => setDraft(e.target.value)}
              maxLength={40}
              className="mt-1 rounded-md border border-slate-300 px-2 py-1 text-sm"
            />
          </label>
          <Button type="submit" disabled={save.isPending || !draft.trim()}>
            {t("addButton")}
          </Button>
        </form>
      )}
      <ErrorNotice error={save.error} />
    </section>
  );
}
