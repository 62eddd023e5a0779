import type { Db } from "@beacon/db";
import { createTestDatabase, type TestDatabase } from "@beacon/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDomain } from "../src/domains/list-domains.ts";
import { Invalid, NotAllowed, NotFound } from "../src/errors.ts";
import { createTenancy, type Tenancy } from "../src/tenancy/tenancy.ts";
import { loadTenantAccess, type TenantAccess } from "../src/tenancy/tenant-access.ts";
import { createTenant } from "../src/tenants/tenants.ts";
import {
  cardLocalesOf,
  guestCardLocales,
  localePreferences,
  setDomainLanguages,
  setOwnLocale,
} from "../src/users/locales.ts";
import { createUser } from "../src/users/users.ts";
import { actor, domainTree } from "./support/domains.ts";

/** A French hotel below an English-speaking integrator: whose language the console speaks, and who may set it. */
describe("console languages", () => {
  let database: TestDatabase;
  let db: Db;
  let tenancy: Tenancy;
  let tree: Awaited<ReturnType<typeof domainTree>>;
  let hotelOwner: TenantAccess;
  let hotelViewer: TenantAccess;
  let integratorOwner: TenantAccess;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = database.db;
    tenancy = createTenancy(db);
    tree = await domainTree(db, "locales");
    const person = (email: string, tenantId: string, role: "owner" | "viewer") =>
      createUser(db, { email, password: "a long enough password", tenantId, role }, actor);
    hotelOwner = (await loadTenantAccess(db, (await person("owner@azur.example.com", tree.hotel.id, "owner")).id))!;
    hotelViewer = (await loadTenantAccess(db, (await person("viewer@azur.example.com", tree.hotel.id, "viewer")).id))!;
    integratorOwner = (await loadTenantAccess(
      db,
      (
        await person("owner@integrator.example.com", tree.integrator.id, "owner")
      ).id,
    ))!;
  });
  afterAll(() => database?.drop());

  it("has no preference until someone sets one, and prints the guest card in English then", async () => {
    expect(await localePreferences(db, hotelViewer.userId)).toEqual({ user: null, domain: null });
    const hotel = await getDomain(tenancy.scope(hotelOwner), hotelOwner, tree.hotel.id);
    expect(hotel).toMatchObject({ defaultLocale: null, cardLocales: ["en"] });
  });

  it("lets the hotel's owner set its default and the card's languages, and records it in the audit log", async () => {
    await setDomainLanguages(tenancy.scope(hotelOwner), hotelOwner, {
      domainId: tree.hotel.id,
      defaultLocale: "fr",
      cardLocales: ["fr", "en", "fr"],
    });
    const hotel = await getDomain(tenancy.scope(hotelViewer), hotelViewer, tree.hotel.id);
    expect(hotel).toMatchObject({ defaultLocale: "fr", cardLocales: ["fr", "en"] });
    const audit = await db.auditEvent.findFirstOrThrow({
      where: { action: "domain.languages", targetId: tree.hotel.id },
    });
    expect(audit.after).toEqual({ defaultLocale: "fr", cardLocales: ["fr", "en"] });
  });

  it("refuses a viewer, a domain out of reach, an unknown language and a card without a language", async () => {
    const input = { domainId: tree.hotel.id, defaultLocale: "en", cardLocales: ["en"] };
    await expect(setDomainLanguages(tenancy.scope(hotelViewer), hotelViewer, input)).rejects.toBeInstanceOf(NotAllowed);
    await expect(
      setDomainLanguages(tenancy.scope(hotelOwner), hotelOwner, { ...input, domainId: tree.otherHotel.id }),
    ).rejects.toBeInstanceOf(NotFound);
    await expect(
      setDomainLanguages(tenancy.scope(hotelOwner), hotelOwner, { ...input, defaultLocale: "de" }),
    ).rejects.toBeInstanceOf(Invalid);
    await expect(
      setDomainLanguages(tenancy.scope(hotelOwner), hotelOwner, { ...input, cardLocales: [] }),
    ).rejects.toBeInstanceOf(Invalid);
    expect((await db.tenant.findUniqueOrThrow({ where: { id: tree.hotel.id } })).defaultLocale).toBe("fr");
  });

  it("follows the domain being looked at, within reach, else the person's own top domain", async () => {
    // The hotel's people get its French default; the integrator's owner gets it when looking at the hotel only.
    expect(await localePreferences(db, hotelViewer.userId)).toEqual({ user: null, domain: "fr" });
    expect(await localePreferences(db, integratorOwner.userId)).toEqual({ user: null, domain: null });
    expect(await localePreferences(db, integratorOwner.userId, tree.hotel.id)).toEqual({ user: null, domain: "fr" });
    // A domain out of reach (or not an id at all) says nothing about it: the person's own domain counts.
    expect(await localePreferences(db, hotelViewer.userId, tree.integrator.id)).toEqual({ user: null, domain: "fr" });
    expect(await localePreferences(db, hotelViewer.userId, "not-an-id")).toEqual({ user: null, domain: "fr" });
  });

  it("keeps a person's own choice, which comes before the domain's, until they go back to automatic", async () => {
    await setOwnLocale(tenancy.scope(hotelViewer), hotelViewer, "en");
    expect(await localePreferences(db, hotelViewer.userId)).toEqual({ user: "en", domain: "fr" });
    await expect(setOwnLocale(tenancy.scope(hotelViewer), hotelViewer, "klingon")).rejects.toBeInstanceOf(Invalid);
    await setOwnLocale(tenancy.scope(hotelViewer), hotelViewer, null);
    expect(await localePreferences(db, hotelViewer.userId)).toEqual({ user: null, domain: "fr" });
    // Nobody else's choice changed.
    expect((await db.user.findUniqueOrThrow({ where: { id: hotelOwner.userId } })).locale).toBeNull();
  });

  it("prints the card in the chosen languages, else the default, else English", () => {
    expect(cardLocalesOf({ defaultLocale: null, cardLocales: [] })).toEqual(["en"]);
    expect(cardLocalesOf({ defaultLocale: "fr", cardLocales: [] })).toEqual(["fr"]);
    expect(cardLocalesOf({ defaultLocale: "fr", cardLocales: ["en", "xx", "fr"] })).toEqual(["en", "fr"]);
  });

  it("prints a room's card in the languages of its own domain, else of the nearest domain above that chose", async () => {
    const wing = await createTenant(db, { name: "locales east wing", kind: "site", parentId: tree.hotel.id });
    const scoped = tenancy.scope(hotelOwner);
    expect(await guestCardLocales(scoped, tree.hotel.id)).toEqual(["fr", "en"]);
    expect(await guestCardLocales(scoped, wing.id)).toEqual(["fr", "en"]);
    expect(await guestCardLocales(tenancy.scope(integratorOwner), tree.otherHotel.id)).toEqual(["en"]);
    await expect(guestCardLocales(scoped, tree.otherHotel.id)).rejects.toBeInstanceOf(NotFound);
  });
});
