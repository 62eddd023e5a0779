import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The checkout's root folder (where package.json, apps/ and prisma/ are). */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
