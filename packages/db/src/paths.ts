import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** prisma/migrations of this checkout. */
export const migrationsDir = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "prisma", "migrations");
