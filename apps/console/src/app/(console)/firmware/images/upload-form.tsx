"use client";

import { useTranslations } from "next-intl";
import { type FormEvent, useRef, useState } from "react";
import { formatBytes } from "@/components/firmware/campaign-words.tsx";
import { Button } from "@/components/ui/button.tsx";
import { ErrorNotice, Notice } from "@/components/ui/error-notice.tsx";
import { TextField } from "@/components/ui/field.tsx";

type Upload =
  | { phase: "idle" }
  | { phase: "sending"; sent: number; total: number }
  | { phase: "checking" }
  | { phase: "done"; name: string; sha256: string }
  | { phase: "failed"; message: string };

/**
 * Sends the file as the raw body of POST /api/firmware (XMLHttpRequest, for upload progress); the server streams
 * it to disk and computes its SHA-256 on the way.
 */
export function UploadForm({ tenantId, onUploaded }: { tenantId: string; onUploaded: () => void }) {
  const t = useTranslations("firmware");
  const [upload, setUpload] = useState<Upload>({ phase: "idle" });
  const request = useRef<XMLHttpRequest | null>(null);
  const busy = upload.phase === "sending" || upload.phase === "checking";

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const file = data.get("file");
    if (!(file instanceof File) || file.size === 0) {
      setUpload({ phase: "failed", message: t("upload.noFile") });
      return;
    }
    const query = new URLSearchParams({
      tenantId,
      name: file.name,
      vendor: String(data.get("vendor") ?? ""),
      version: String(data.get("version") ?? ""),
      productClasses: String(data.get("productClasses") ?? ""),
    });
    const xhr = new XMLHttpRequest();
    request.current = xhr;
    xhr.open("POST", `/api/firmware?${query}`);
    xhr.setRequestHeader("content-type", "application/octet-stream");
    xhr.upload.onprogress = (progress) =>
      setUpload(
        progress.loaded >= file.size
          ? { phase: "checking" }
          : { phase: "sending", sent: progress.loaded, total: file.size },
      );
    xhr.onload = () => {
      request.current = null;
      const body = parseJson(xhr.responseText) as { detail?: string; name?: string; sha256?: string } | null;
      if (xhr.status === 201 && body?.sha256) {
        setUpload({ phase: "done", name: body.name ?? file.name, sha256: body.sha256 });
        form.reset();
        onUploaded();
      } else {
        setUpload({ phase: "failed", message: body?.detail ?? t("upload.failed", { status: xhr.status }) });
      }
    };
    xhr.onerror = () => {
      request.current = null;
      setUpload({ phase: "failed", message: t("upload.interrupted") });
    };
    xhr.onabort = () => {
      request.current = null;
      setUpload({ phase: "idle" });
    };
    setUpload({ phase: "sending", sent: 0, total: file.size });
    xhr.send(file);
  };

  return (
    <form
      aria-label={t("upload.label")}
      onSubmit={submit}
      className="mb-6 grid gap-3 rounded-lg border border-slate-200 bg-white p-4 md:grid-cols-2"
    >
      <h2 className="text-base font-semibold text-slate-900 md:col-span-2">{t("upload.heading")}</h2>
      <div className="md:col-span-2">
        <label htmlFor="firmware-file" className="block text-sm font-medium text-slate-700">
          {t("upload.file")}
        </label>
        <input id="firmware-file" name="file" type="file" required disabled={busy} className="mt-1 block text-sm" />
      </div>
      <TextField label={t("upload.vendor")} name="vendor" required disabled={busy} placeholder="Huawei" />
      <TextField
        label={t("upload.version")}
        name="version"
        required
        disabled={busy}
        placeholder="V5R020C00S280"
        hint={t("upload.versionHint")}
      />
      <TextField
        label={t("upload.productClasses")}
        name="productClasses"
        required
        disabled={busy}
        placeholder="EG8145V5, HG8245H"
        hint={t("upload.productClassesHint")}
        className="md:col-span-2"
      />
      <div className="flex flex-wrap items-center gap-3 md:col-span-2">
        <Button type="submit" tone="primary" disabled={busy}>
          {t("upload.submit")}
        </Button>
        {upload.phase === "sending" && (
          <Button tone="quiet" onClick={() => request.current?.abort()}>
            {t("upload.cancel")}
          </Button>
        )}
        <UploadProgress upload={upload} />
      </div>
      {upload.phase === "failed" && (
        <div className="md:col-span-2">
          <ErrorNotice error={upload.message} focus />
        </div>
      )}
      {upload.phase === "done" && (
        <div className="md:col-span-2">
          <Notice>
            {t.rich("upload.done", {
              name: upload.name,
              sha256: upload.sha256,
              hash: (chunks) => <span className="font-mono text-xs">{chunks}</span>,
            })}
          </Notice>
        </div>
      )}
    </form>
  );
}

function UploadProgress({ upload }: { upload: Upload }) {
  const t = useTranslations("firmware");
  if (upload.phase === "sending") {
    const percent = upload.total ? Math.floor((upload.sent / upload.total) * 100) : 0;
    return (
      <div className="flex min-w-64 flex-1 items-center gap-2 text-sm text-slate-700">
        <progress className="h-2 flex-1" max={100} value={percent} aria-label={t("upload.progress")}>
          {percent}%
        </progress>
        <span role="status">
          {t("upload.sent", { percent, sent: formatBytes(upload.sent), total: formatBytes(upload.total) })}
        </span>
      </div>
    );
  }
  if (upload.phase === "checking") {
    return (
      <span role="status" className="text-sm text-slate-700">
        {t("upload.checking")}
      </span>
    );
  }
  return null;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
