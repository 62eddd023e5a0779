import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * A data folder shipped with packages/domain (mapping files). Found next to this source file when it runs from
 * source (tsx, vitest), and from the working directory upwards when a bundler moved the code (the console's Next.js
 * build runs with apps/console as its working directory).
 */
export function domainDataDir(name: string): string {
  const candidates: string[] = [];
  try {
    candidates.push(join(dirname(fileURLToPath(import.meta.url)), "..", name));
  } catch {
    // import.meta.url is not a file URL inside some bundles
  }
  for (let dir = process.cwd(), depth = 0; depth < 6; depth++, dir = dirname(dir)) {
    candidates.push(join(dir, "packages", "domain", name));
  }
  const found = candidates.find((candidate) => existsSync(join(candidate, ".")));
  if (!found) throw new Error(`packages/domain/${name} not found (looked in ${candidates.join(", ")})`);
  return found;
}
