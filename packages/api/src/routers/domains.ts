import {
  createDomain,
  DOMAIN_KINDS,
  getDomain,
  LOCALES,
  listDomains,
  moveDomain,
  renameDomain,
  setDomainLanguages,
} from "@beacon/domain";
import { z } from "zod";
import { DomainDetail, DomainList } from "../rest/schemas.ts";
import { router, tenantProcedure } from "../trpc.ts";

export const DomainListFilter = z.object({
  underId: z.uuid().optional().meta({ description: "Only this domain and the domains below it." }),
  query: z.string().max(100).optional().meta({ description: "Part of a domain's name, any case." }),
  limit: z.number().int().min(1).max(500).optional(),
});

export const NewDomain = z.object({
  parentId: z.uuid().meta({ description: "The domain the new one goes below." }),
  name: z.string().max(200),
  kind: z.enum(DOMAIN_KINDS),
  timeZone: z.string().max(64).optional().meta({ description: 'An IANA time zone, e.g. "Europe/Paris".' }),
});

export const domainsRouter = router({
  list: tenantProcedure
    .meta({
      rest: {
        method: "GET",
        path: "/domains",
        operationId: "listDomains",
        tag: "Domains",
        summary: "The caller's domains and the domains below them, in tree order",
        permission: "tenant.read",
        response: DomainList,
      },
    })
    .input(DomainListFilter)
    .query(({ ctx, input }) => listDomains(ctx.db, ctx.access, input)),
  get: tenantProcedure
    .meta({
      rest: {
        method: "GET",
        path: "/domains/{id}",
        operationId: "getDomain",
        tag: "Domains",
        summary: "One domain",
        permission: "tenant.read",
        response: DomainDetail,
      },
    })
    .input(z.object({ id: z.uuid() }))
    .query(({ ctx, input }) => getDomain(ctx.db, ctx.access, input.id)),
  create: tenantProcedure
    .meta({
      rest: {
        method: "POST",
        path: "/domains",
        operationId: "createDomain",
        tag: "Domains",
        summary: "Create a domain (an integrator's customer, a hotel, a site ...) below one the caller manages",
        permission: "tenant.manage",
        status: 201,
      },
    })
    .input(NewDomain)
    .mutation(({ ctx, input }) => createDomain(ctx.db, ctx.access, input)),
  rename: tenantProcedure
    .meta({
      rest: {
        method: "PATCH",
        path: "/domains/{id}",
        operationId: "renameDomain",
        tag: "Domains",
        summary: "Rename a domain",
        status: 204,
        permission: "tenant.manage",
      },
    })
    .input(z.object({ id: z.uuid(), name: z.string().max(200) }))
    .mutation(({ ctx, input }) => renameDomain(ctx.db, ctx.access, input)),
  setLanguages: tenantProcedure
    .meta({
      rest: {
        method: "PATCH",
        path: "/domains/{domainId}/languages",
        operationId: "setDomainLanguages",
        tag: "Domains",
        summary: "The console's default language for the domain's people, and the guest WiFi card's languages",
        status: 204,
        permission: "tenant.manage",
      },
    })
    .input(
      z.object({
        domainId: z.uuid(),
        defaultLocale: z.enum(LOCALES).nullable().meta({ description: "null: each person's browser decides." }),
        cardLocales: z
          .array(z.enum(LOCALES))
          .min(1)
          .max(LOCALES.length)
          .meta({ description: "The guest card's languages, side by side, in this order." }),
      }),
    )
    .mutation(({ ctx, input }) => setDomainLanguages(ctx.db, ctx.access, input)),
  move: tenantProcedure
    .meta({
      rest: {
        method: "POST",
        path: "/domains/{id}/move",
        operationId: "moveDomain",
        tag: "Domains",
        summary: "Move a domain below another one",
        status: 204,
        permission: "tenant.manage",
      },
    })
    .input(z.object({ id: z.uuid(), parentId: z.uuid() }))
    .mutation(({ ctx, input }) => moveDomain(ctx.db, ctx.access, input)),
});
