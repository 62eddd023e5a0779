import { alarmsRouter } from "./routers/alarms.ts";
import { apiTokensRouter } from "./routers/api-tokens.ts";
import { auditRouter } from "./routers/audit.ts";
import { checkoutRouter } from "./routers/checkout.ts";
import { dashboardRouter } from "./routers/dashboard.ts";
import { devicesRouter } from "./routers/devices.ts";
import { diagnosticsRouter } from "./routers/diagnostics.ts";
import { domainsRouter } from "./routers/domains.ts";
import { firmwareRouter } from "./routers/firmware.ts";
import { monitoringRouter } from "./routers/monitoring.ts";
import { pmsRouter } from "./routers/pms.ts";
import { provisioningRouter } from "./routers/provisioning.ts";
import { sessionRouter } from "./routers/session.ts";
import { sitesRouter } from "./routers/sites.ts";
import { templatesRouter } from "./routers/templates.ts";
import { usersRouter } from "./routers/users.ts";
import { webhooksRouter } from "./routers/webhooks.ts";
import { router } from "./trpc.ts";

export const appRouter = router({
  session: sessionRouter,
  dashboard: dashboardRouter,
  devices: devicesRouter,
  domains: domainsRouter,
  users: usersRouter,
  audit: auditRouter,
  alarms: alarmsRouter,
  sites: sitesRouter,
  checkout: checkoutRouter,
  pms: pmsRouter,
  templates: templatesRouter,
  provisioning: provisioningRouter,
  diagnostics: diagnosticsRouter,
  monitoring: monitoringRouter,
  firmware: firmwareRouter,
  apiTokens: apiTokensRouter,
  webhooks: webhooksRouter,
});

export type AppRouter = typeof appRouter;
