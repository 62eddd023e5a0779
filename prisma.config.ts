import { defineConfig } from "prisma/config";

// Only `prisma generate` runs here (migrations are applied by packages/db, see DEVELOPERS.md).
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/beacon" },
});
