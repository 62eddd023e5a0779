import { describeAccess, LOCALES, setOwnLocale } from "@beacon/domain";
import { z } from "zod";
import { router, tenantProcedure } from "../trpc.ts";

export const sessionRouter = router({
  /** The signed-in user and the domains where they hold a role. */
  me: tenantProcedure
    .meta({
      consoleOnly: "The signed-in person's own domains and roles, for the console's menus; a token asks GET /token.",
    })
    .query(({ ctx }) => describeAccess(ctx.db, ctx.access)),
  /** The signed-in person's console language; null follows the domain's default, then the browser. */
  setLocale: tenantProcedure
    .meta({ consoleOnly: "The language the console speaks to the signed-in person; the REST API has no language." })
    .input(z.object({ locale: z.enum(LOCALES).nullable() }))
    .mutation(({ ctx, input }) => setOwnLocale(ctx.db, ctx.access, input.locale)),
});
