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
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    await navigator.clipboard.writeText(secret);
    setCopied(true);
  };
  return (
    <output className="block space-y-2 rounded-md border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-950">
      <p className="font-medium">{label}</p>
      <p>Copy it now: Beacon does not show it again.</p>
      <code className="block break-all rounded border border-amber-200 bg-white px-2 py-1.5 font-mono text-xs">
        {secret}
      </code>
      {children}
      <div className="flex gap-2">
        <Button size="sm" onClick={copy}>
          {copied ? "Copied" : "Copy"}
        </Button>
        <Button size="sm" tone="quiet" onClick={onDone}>
          I have stored it
        </Button>
      </div>
    </output>
  );
}
