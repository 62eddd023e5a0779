import { domainsRouter } from "./routers/domains.ts";
import { sessionRouter } from "./routers/session.ts";
import { usersRouter } from "./routers/users.ts";
import { router } from "./trpc.ts";

export const appRouter = router({
  session: sessionRouter,
  domains: domainsRouter,
  users: usersRouter,
});

export type AppRouter = typeof appRouter;
