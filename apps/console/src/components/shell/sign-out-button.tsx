"use client";

import { signOut } from "next-auth/react";
import { useState } from "react";

export function SignOutButton() {
  const [pending, setPending] = useState(false);
  return (
    <button
      type="button"
      disabled={pending}
      onClick={async () => {
        setPending(true);
        // Navigate ourselves: next-auth's own redirect would use NEXTAUTH_URL, which is optional here.
        await signOut({ redirect: false });
        window.location.assign("/signin");
      }}
      className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50"
    >
      {pending ? "Signing out…" : "Sign out"}
    </button>
  );
}
