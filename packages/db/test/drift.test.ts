import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations } from "../src/migrate.ts";
import { migrationsDir } from "../src/paths.ts";
import { withPgClient } from "../src/pg.ts";
import { createEmptyDatabase } from "../src/testing.ts";
import { describeDrift, factsFromDatabase, factsFromSchema } from "./schema-drift.ts";

const schemaFile = join(migrationsDir, "..", "schema.prisma");

describe("migrations match schema.prisma", () => {
  let database: Awaited<ReturnType<typeof createEmptyDatabase>>;
  let fromDatabase: Set<string>;

  beforeAll(async () => {
    database = await createEmptyDatabase();
    await applyMigrations(database.url, migrationsDir);
    fromDatabase = await withPgClient(database.url, factsFromDatabase);
  });
  afterAll(() => database.drop());

  it("finds no model, field, type, nullability, default, relation, unique constraint or index that differs", async () => {
    const fromSchema = await factsFromSchema(readFileSync(schemaFile, "utf8"));
    expect(describeDrift(fromSchema, fromDatabase)).toEqual([]);
  });

  it("reports a column that schema.prisma has and the migrations lack", async () => {
    const schema = readFileSync(schemaFile, "utf8").replace(
      /model Device \{\n/,
      'model Device {\n  extraColumn String @default("x")\n',
    );
    const drift = describeDrift(await factsFromSchema(schema), fromDatabase);
    expect(drift).toContain("in schema.prisma, not in the migrations: column Device.extraColumn text not null");
    expect(drift).toContain("in schema.prisma, not in the migrations: default Device.extraColumn 'x'::text");
  });

  it("reports a changed nullability, a missing index and a changed relation", async () => {
    const schema = readFileSync(schemaFile, "utf8")
      .replace("  modelName                   String?", "  modelName                   String")
      .replace("  @@index([serialNumber])\n", "")
      .replace(
        "tenant Tenant @relation(fields: [tenantId], references: [id], onDelete: Cascade)\n\n  @@unique([userId, tenantId])",
        "tenant Tenant @relation(fields: [tenantId], references: [id], onDelete: Restrict)\n\n  @@unique([userId, tenantId])",
      );
    const drift = describeDrift(await factsFromSchema(schema), fromDatabase);
    expect(drift).toContain("in schema.prisma, not in the migrations: column Device.modelName text not null");
    expect(drift).toContain("in the migrations, not in schema.prisma: index Device (serialNumber) using btree");
    expect(
      drift.some((line) => line.includes("foreign key Membership (tenantId) -> Tenant (id) on delete restrict")),
    ).toBe(true);
  });
});
