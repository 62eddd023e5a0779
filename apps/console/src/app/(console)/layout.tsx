import { isPlatformStaff } from "@beacon/domain";
import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { ConsoleShell } from "@/components/shell/console-shell.tsx";
import { sessionUser } from "@/server/auth.ts";
import { consoleDb } from "@/server/db.ts";
import { ApiProvider } from "@/trpc/client.tsx";

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const user = await sessionUser();
  if (!user) redirect("/signin");
  // The shell still renders while the database is away; the page then shows the outage notice.
  const platformStaff = await isPlatformStaff(consoleDb(), user.id).catch(() => false);
  return (
    <ApiProvider>
      <ConsoleShell user={user} platformStaff={platformStaff}>
        {children}
      </ConsoleShell>
    </ApiProvider>
  );
}
