#!/usr/bin/env node
// `npm test`: typecheck, lint, unit and integration tests (real PostgreSQL), then the Playwright suite. Without a
// Chromium it runs everything else, then fails with the command that installs one.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { CHROMIUM_MISSING, findChromium } from "./chromium.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = (pkg, file) => join(root, "node_modules", pkg, file);

const steps = [
  ["generate the Prisma client", [join(root, "scripts", "prisma-generate.mjs")]],
  ["typecheck packages and the ingress", [bin("typescript", "bin/tsc"), "-p", "tsconfig.json", "--noEmit"]],
  ["generate the console's route types", [bin("next", "dist/bin/next"), "typegen", "apps/console"]],
  ["typecheck the console", [bin("typescript", "bin/tsc"), "-p", "apps/console/tsconfig.json", "--noEmit"]],
  ["lint", [bin("@biomejs/biome", "bin/biome"), "check", "."]],
  ["unit and integration tests", [bin("vitest", "vitest.mjs"), "run"]],
];
const browser = findChromium();
if (browser) steps.push(["browser tests (Playwright, Chromium)", [join(root, "scripts", "e2e.mjs")]]);

for (const [name, args] of steps) {
  process.stdout.write(`\n▶ ${name}\n`);
  const started = Date.now();
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: "inherit", env: process.env });
  if (result.status !== 0) {
    process.stderr.write(`\n✗ ${name} failed (exit ${result.status ?? result.signal})\n`);
    process.exit(result.status ?? 1);
  }
  process.stdout.write(`✓ ${name} (${Math.round((Date.now() - started) / 1000)} s)\n`);
}

if (!browser) {
  process.stderr.write(`\n✗ browser tests (Playwright, Chromium) not run\n${CHROMIUM_MISSING}\n`);
  process.exit(1);
}
