import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { z } from "zod";

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

/** The `.json` files of a data folder, by name, in name order. */
export function readJsonFiles(dir: string): { name: string; text: string }[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((name) => ({ name, text: readFileSync(join(dir, name), "utf8") }));
}

/** Parses a data file's JSON against its schema; `fail` turns the first problem into the caller's error. */
export function parseJsonFile<S extends z.ZodType>(
  schema: S,
  text: string,
  fail: (problem: string) => never,
): z.output<S> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return fail(`not JSON (${(error as Error).message})`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return fail(`${issue.path.join(".") || "(top)"}: ${issue.message}`);
  }
  return parsed.data;
}
