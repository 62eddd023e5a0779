import { createDomain, DOMAIN_KINDS, getDomain, listDomains, moveDomain, renameDomain } from "@beacon/domain";
import { z } from "zod";
import { router, tenantProcedure } from "../trpc.ts";

export const DomainListFilter = z.object({
  underId: z.uuid().optional(),
  query: z.string().max(100).optional(),
  limit: z.number().int().min(1).max(500).optional(),
});

export const NewDomain = z.object({
  parentId: z.uuid(),
  name: z.string().max(200),
  kind: z.enum(DOMAIN_KINDS),
  timeZone: z.string().max(64).optional(),
});

export const domainsRouter = router({
  list: tenantProcedure.input(DomainListFilter).query(({ ctx, input }) => listDomains(ctx.db, ctx.access, input)),
  get: tenantProcedure
    .input(z.object({ id: z.uuid() }))
    .query(({ ctx, input }) => getDomain(ctx.db, ctx.access, input.id)),
  create: tenantProcedure.input(NewDomain).mutation(({ ctx, input }) => createDomain(ctx.db, ctx.access, input)),
  rename: tenantProcedure
    .input(z.object({ id: z.uuid(), name: z.string().max(200) }))
    .mutation(({ ctx, input }) => renameDomain(ctx.db, ctx.access, input)),
  move: tenantProcedure
    .input(z.object({ id: z.uuid(), parentId: z.uuid() }))
    .mutation(({ ctx, input }) => moveDomain(ctx.db, ctx.access, input)),
});
