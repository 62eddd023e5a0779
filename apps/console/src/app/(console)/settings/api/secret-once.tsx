"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button.tsx";

/** A secret Beacon shows once (a token, a signing secret): copy it now, it is not stored in readable form. */
export function SecretOnce({
  label,
  secret,
  children,
  onDone,
}: {
  label: string;
  secret: string;
  children?: React.ReactNode;
  onDone: () => void;
}) {
  const [copied, setCopied] = useState<"yes" | "no" | null>(null);
  const copy = async () => {
    try {
      // The clipboard API exists only on https:// and localhost pages.
      await navigator.clipboard.writeText(secret);
      setCopied("yes");
    } catch {
      setCopied("no");
    }
  };
  return (
    <output className="block space-y-2 rounded-md border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-950">
      <p className="font-medium">{label}</p>
      <p>Copy it now: Beacon does not show it again.</p>
      <code className="block select-all break-all rounded border border-amber-200 bg-white px-2 py-1.5 font-mono text-xs">
        {secret}
      </code>
      {copied === "no" && <p>This page cannot use the clipboard: select the text above and copy it.</p>}
      {children}
      <div className="flex gap-2">
        <Button size="sm" onClick={copy}>
          {copied === "yes" ? "Copied" : "Copy"}
        </Button>
        <Button size="sm" tone="quiet" onClick={onDone}>
          I have stored it
        </Button>
      </div>
    </output>
  );
}
