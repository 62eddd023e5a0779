"use client";

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
  const [upload, setUpload] = useState<Upload>({ phase: "idle" });
  const request = useRef<XMLHttpRequest | null>(null);
  const busy = upload.phase === "sending" || upload.phase === "checking";

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const file = data.get("file");
    if (!(file instanceof File) || file.size === 0) {
      setUpload({ phase: "failed", message: "Choose the image file to upload." });
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
        setUpload({ phase: "failed", message: body?.detail ?? `The upload failed (HTTP ${xhr.status}).` });
      }
    };
    xhr.onerror = () => {
      request.current = null;
      setUpload({ phase: "failed", message: "The upload was interrupted: check the connection and try again." });
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
      aria-label="Upload firmware"
      onSubmit={submit}
      className="mb-6 grid gap-3 rounded-lg border border-slate-200 bg-white p-4 md:grid-cols-2"
    >
      <h2 className="text-base font-semibold text-slate-900 md:col-span-2">Upload an image</h2>
      <div className="md:col-span-2">
        <label htmlFor="firmware-file" className="block text-sm font-medium text-slate-700">
          Image file
        </label>
        <input id="firmware-file" name="file" type="file" required disabled={busy} className="mt-1 block text-sm" />
      </div>
      <TextField label="Vendor" name="vendor" required disabled={busy} placeholder="Huawei" />
      <TextField
        label="Version"
        name="version"
        required
        disabled={busy}
        placeholder="V5R020C00S280"
        hint="The SoftwareVersion a device reports once it runs this image."
      />
      <TextField
        label="Product classes"
        name="productClasses"
        required
        disabled={busy}
        placeholder="EG8145V5, HG8245H"
        hint="Comma-separated: the models this image is for."
        className="md:col-span-2"
      />
      <div className="flex flex-wrap items-center gap-3 md:col-span-2">
        <Button type="submit" tone="primary" disabled={busy}>
          Upload
        </Button>
        {upload.phase === "sending" && (
          <Button tone="quiet" onClick={() => request.current?.abort()}>
            Cancel upload
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
            {upload.name} uploaded; SHA-256 <span className="font-mono text-xs">{upload.sha256}</span>
          </Notice>
        </div>
      )}
    </form>
  );
}

function UploadProgress({ upload }: { upload: Upload }) {
  if (upload.phase === "sending") {
    const percent = upload.total ? Math.floor((upload.sent / upload.total) * 100) : 0;
    return (
      <div className="flex min-w-64 flex-1 items-center gap-2 text-sm text-slate-700">
        <progress className="h-2 flex-1" max={100} value={percent} aria-label="Upload progress">
          {percent}%
        </progress>
        <span role="status">
          {percent}% · {formatBytes(upload.sent)} of {formatBytes(upload.total)}
        </span>
      </div>
    );
  }
  if (upload.phase === "checking") {
    return (
      <span role="status" className="text-sm text-slate-700">
        Storing the image and checking its SHA-256…
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
