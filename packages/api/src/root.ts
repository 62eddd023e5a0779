import { auditRouter } from "./routers/audit.ts";
import { dashboardRouter } from "./routers/dashboard.ts";
import { devicesRouter } from "./routers/devices.ts";
import { domainsRouter } from "./routers/domains.ts";
import { sessionRouter } from "./routers/session.ts";
import { usersRouter } from "./routers/users.ts";
import { router } from "./trpc.ts";

export const appRouter = router({
  session: sessionRouter,
  dashboard: dashboardRouter,
  devices: devicesRouter,
  domains: domainsRouter,
  users: usersRouter,
  audit: auditRouter,
});

export type AppRouter = typeof appRouter;
