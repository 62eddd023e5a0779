import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * The import rules of ARCHITECTURE.md are Biome's noRestrictedImports, per folder, in biome.json. These cases lint
 * one-line files with the repository's own biome.json, laid out in a scratch copy of the tree, and check which are
 * refused: proof that `npm test` (its lint step) fails on an import against the rules.
 */
const root = join(dirname(fileURLToPath(import.meta.url)), "..");

const CASES: { file: string; source: string; refused: RegExp | null }[] = [
  { file: "packages/domain/src/probe.ts", source: "@beacon/api", refused: /domain is below api/ },
  { file: "packages/domain/src/probe.ts", source: "@beacon/sim", refused: /simulator is for tests/ },
  { file: "packages/domain/src/probe.ts", source: "@beacon/db", refused: null },
  { file: "packages/cwmp/src/probe.ts", source: "@beacon/db", refused: /codecs are pure/ },
  { file: "packages/db/src/probe.ts", source: "@beacon/domain", refused: /knows no rule/ },
  { file: "packages/api/src/probe.ts", source: "@beacon/cwmp", refused: /calls domain functions/ },
  { file: "packages/api/src/probe.ts", source: "@beacon/domain", refused: null },
  { file: "packages/sim/src/probe.ts", source: "@beacon/domain", refused: /speaks to Beacon over HTTP/ },
  { file: "apps/ingress/src/probe.ts", source: "@beacon/sim", refused: /simulator is for tests/ },
  { file: "apps/ingress/test/probe.test.ts", source: "@beacon/sim", refused: null },
  { file: "bench/src/probe.ts", source: "../../apps/ingress/src/app.ts", refused: /Nothing imports from apps/ },
  { file: "packages/cli/src/probe.ts", source: "@beacon/ingress", refused: /Nothing imports from apps/ },
  { file: "apps/console/src/app/(console)/probe/probe-view.tsx", source: "@beacon/db", refused: /Prisma's enums/ },
  { file: "apps/console/src/components/probe.tsx", source: "@prisma/client", refused: /Prisma's enums/ },
  { file: "apps/console/src/app/(console)/probe/page.tsx", source: "@beacon/db", refused: null },
  { file: "apps/console/src/server/probe.ts", source: "@beacon/db", refused: null },
  { file: "apps/console/src/app/(console)/probe/probe-view.tsx", source: "@beacon/cwmp", refused: /never a protocol/ },
];

describe("import rules (biome.json noRestrictedImports)", () => {
  let scratch: string;
  let diagnostics: Diagnostic[];
  /** Each case in a folder of its own beside its file, so that two cases on the same path do not collide. */
  const pathOf = (k: number) => {
    const file = CASES[k]!.file;
    const slash = file.lastIndexOf("/");
    return `${file.slice(0, slash)}/case${k}${file.slice(slash)}`;
  };

  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), "beacon-import-rules-"));
    const config = JSON.parse(readFileSync(join(root, "biome.json"), "utf8"));
    delete config.$schema;
    delete config.vcs;
    writeFileSync(join(scratch, "biome.json"), JSON.stringify(config));
    CASES.forEach((c, k) => {
      const path = join(scratch, pathOf(k));
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, `import { probe } from "${c.source}";\nexport const used = probe;\n`);
    });
    diagnostics = lint(scratch).filter((d) => d.category === "lint/style/noRestrictedImports");
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it.each(CASES.map((c, k) => [k, c.file, c.source, c.refused] as const))(
    "case %i: %s importing %s",
    (k, _file, _source, refused) => {
      const found = diagnostics.filter((d) => d.location.path === pathOf(k)).map((d) => d.message);
      if (refused) expect(found.join("\n")).toMatch(refused);
      else expect(found).toEqual([]);
    },
  );
});

interface Diagnostic {
  category: string;
  message: string;
  location: { path: string };
}

function lint(dir: string): Diagnostic[] {
  let out: string;
  try {
    out = execFileSync(
      join(root, "node_modules", ".bin", "biome"),
      ["lint", "--reporter=json", "--max-diagnostics=none", "."],
      {
        cwd: dir,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
      },
    );
  } catch (error) {
    // Biome exits 1 when it reports an error; the report is still on stdout.
    out = (error as { stdout: string }).stdout;
  }
  return JSON.parse(out).diagnostics;
}
