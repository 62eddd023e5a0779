import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { ConsoleShell } from "@/components/shell/console-shell.tsx";
import { sessionUser } from "@/server/auth.ts";
import { ApiProvider } from "@/trpc/client.tsx";

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const user = await sessionUser();
  if (!user) redirect("/signin");
  return (
    <ApiProvider>
      <ConsoleShell user={user}>{children}</ConsoleShell>
    </ApiProvider>
  );
}
