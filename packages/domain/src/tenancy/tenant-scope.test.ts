import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type Db, migrationsDir, Prisma } from "@beacon/db";
import { createTestDatabase, type TestDatabase } from "@beacon/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NotFound } from "../errors.ts";
import { ensurePlatformTenant } from "../tenants/tenants.ts";
import type { TenantAccess } from "./tenant-access.ts";
import { ownershipOf, TENANT_OWNERSHIP, TENANT_RELATIONS, TenantScopeViolation, tenantScope } from "./tenant-scope.ts";

/** Model name -> relation fields, read from schema.prisma itself. */
function schemaRelations(): Map<string, Map<string, { model: string; many: boolean }>> {
  const schema = readFileSync(join(migrationsDir, "..", "schema.prisma"), "utf8");
  const blocks = [...schema.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)];
  const models = new Set(blocks.map((b) => b[1]!));
  const result = new Map<string, Map<string, { model: string; many: boolean }>>();
  for (const [, name, body] of blocks) {
    const relations = new Map<string, { model: string; many: boolean }>();
    for (const line of body!.split("\n")) {
      const field = /^\s+(\w+)\s+(\w+)(\[\])?\??/.exec(line);
      if (field && models.has(field[2]!)) relations.set(field[1]!, { model: field[2]!, many: Boolean(field[3]) });
    }
    result.set(name!, relations);
  }
  return result;
}

describe("the tenant scope's model table", () => {
  it("classifies every model of schema.prisma and knows all of its relations", () => {
    const fromSchema = schemaRelations();
    expect(Object.keys(TENANT_OWNERSHIP).sort()).toEqual([...fromSchema.keys()].sort());
    expect(Object.values(Prisma.ModelName).sort()).toEqual([...fromSchema.keys()].sort());
    for (const [model, relations] of fromSchema) {
      expect(TENANT_RELATIONS[model as Prisma.ModelName], model).toEqual(Object.fromEntries(relations));
    }
    expect(ownershipOf("MetricSample")).toBe("unreachable");
  });
});

describe("tenantScope", () => {
  let database: TestDatabase;
  let db: Db;
  const ids = {} as Record<"acme" | "acmeHotel" | "bravo" | "acmeDevice" | "bravoDevice" | "shared", string>;
  let acme: TenantAccess;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = database.db;
    const platform = await ensurePlatformTenant(db);
    const tenant = async (name: string, parent: { id: string; ancestorIds: string[] }) => {
      const id = crypto.randomUUID();
      return db.tenant.create({
        data: { id, name, kind: "integrator", parentId: parent.id, ancestorIds: [...parent.ancestorIds, id] },
      });
    };
    const acmeTenant = await tenant("Acme", platform);
    const acmeHotel = await tenant("Acme Hotel", acmeTenant);
    const bravo = await tenant("Bravo", platform);
    ids.acme = acmeTenant.id;
    ids.acmeHotel = acmeHotel.id;
    ids.bravo = bravo.id;
    const device = (tenantId: string, serialNumber: string) =>
      db.device.create({
        data: { tenantId, oui: "001122", serialNumber, cwmpHa1Md5: "secret", connReqPassword: "secret" },
      });
    ids.acmeDevice = (await device(acmeHotel.id, "ACME-1")).id;
    ids.bravoDevice = (await device(bravo.id, "BRAVO-1")).id;
    const shared = await db.user.create({
      data: {
        email: "shared@example.com",
        passwordHash: "scrypt$hash",
        memberships: {
          create: [
            { tenantId: acmeTenant.id, role: "viewer" },
            { tenantId: bravo.id, role: "owner" },
          ],
        },
      },
    });
    ids.shared = shared.id;
    acme = {
      userId: "acme-user",
      actor: { label: "acme@example.com" },
      memberships: [{ tenantId: acmeTenant.id, role: "owner" }],
    };
  });

  afterAll(() => database.drop());

  it("reads only rows below the user's memberships", async () => {
    const scoped = tenantScope(db, acme);
    const serials = (await scoped.device.findMany({ select: { serialNumber: true } })).map((d) => d.serialNumber);
    expect(serials).toEqual(["ACME-1"]);
    expect(await scoped.device.findUnique({ where: { id: ids.bravoDevice } })).toBeNull();
    expect(await scoped.device.count({ where: { serialNumber: "BRAVO-1" } })).toBe(0);
    expect(
      (await scoped.tenant.findMany({ select: { name: true }, orderBy: { name: "asc" } })).map((t) => t.name),
    ).toEqual(["Acme", "Acme Hotel"]);
  });

  it("changes nothing outside the reach and reports it as not found", async () => {
    const scoped = tenantScope(db, acme);
    await expect(scoped.device.update({ where: { id: ids.bravoDevice }, data: { tags: ["x"] } })).rejects.toMatchObject(
      {
        code: "P2025",
      },
    );
    expect(await scoped.device.updateMany({ where: {}, data: { tags: ["seen"] } })).toEqual({ count: 1 });
    expect(await scoped.device.deleteMany({ where: { id: ids.bravoDevice } })).toEqual({ count: 0 });
    await expect(
      scoped.device.create({ data: { tenantId: ids.bravo, oui: "001122", serialNumber: "PLANTED" } }),
    ).rejects.toThrow(NotFound);
    await expect(
      scoped.device.update({ where: { id: ids.acmeDevice }, data: { tenantId: ids.bravo } }),
    ).rejects.toThrow(NotFound);
    await expect(
      scoped.tenant.create({
        data: { id: crypto.randomUUID(), name: "Inside Bravo", kind: "site", parentId: ids.bravo, ancestorIds: [] },
      }),
    ).rejects.toThrow(NotFound);
    const bravo = await db.device.findUniqueOrThrow({ where: { id: ids.bravoDevice } });
    expect(bravo.tags).toEqual([]);
    expect(bravo.tenantId).toBe(ids.bravo);
  });

  it("limits nested reads and counts to the reach", async () => {
    const scoped = tenantScope(db, acme);
    const user = await scoped.user.findUniqueOrThrow({
      where: { id: ids.shared },
      select: { email: true, memberships: { select: { tenantId: true } }, _count: { select: { memberships: true } } },
    });
    expect(user.memberships).toEqual([{ tenantId: ids.acme }]);
    expect(user._count.memberships).toBe(1);
    await expect(scoped.tenant.findMany({ include: { parent: true } })).rejects.toThrow(TenantScopeViolation);
    // A task's device may have moved to another integrator since; it is read through the scope on its own.
    await expect(scoped.task.findMany({ include: { device: true } })).rejects.toThrow(TenantScopeViolation);
    const device = await scoped.device.findFirstOrThrow({ include: { tenant: true } });
    expect(device.tenant.name).toBe("Acme Hotel");
  });

  it("never returns password hashes or CPE credentials", async () => {
    const scoped = tenantScope(db, acme);
    const user = await scoped.user.findUniqueOrThrow({ where: { id: ids.shared } });
    expect(user).not.toHaveProperty("passwordHash");
    const device = await scoped.device.findUniqueOrThrow({ where: { id: ids.acmeDevice } });
    expect(device).not.toHaveProperty("cwmpHa1Md5");
    expect(device).not.toHaveProperty("connReqPassword");
    await expect(scoped.user.findMany({ select: { passwordHash: true } })).rejects.toThrow(TenantScopeViolation);
    const membership = await scoped.membership.findFirstOrThrow({ include: { user: true } });
    expect(membership.user).not.toHaveProperty("passwordHash");
  });

  it("refuses nested writes, raw SQL and models that belong to no tenant", async () => {
    const scoped = tenantScope(db, acme);
    await expect(
      scoped.user.create({
        data: {
          email: "nested@example.com",
          passwordHash: "x",
          memberships: { create: { tenantId: ids.bravo, role: "owner" } },
        },
      }),
    ).rejects.toThrow(TenantScopeViolation);
    await expect(scoped.$transaction(async (tx) => tx.$queryRaw`SELECT * FROM "Device"`)).rejects.toThrow(
      TenantScopeViolation,
    );
    await expect(scoped.$transaction(async (tx) => tx.digestNonce.findMany())).rejects.toThrow(TenantScopeViolation);
  });

  it("sees nothing at all for a user without memberships", async () => {
    const scoped = tenantScope(db, { userId: "nobody", actor: { label: "nobody" }, memberships: [] });
    expect(await scoped.tenant.count()).toBe(0);
    expect(await scoped.device.count()).toBe(0);
    expect(await scoped.user.count()).toBe(0);
  });
});
