#!/usr/bin/env node
// Runs the Playwright suite against a Beacon started by playwright.config.ts (throwaway data folder and ports).
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { CHROMIUM_MISSING, findChromium } from "./chromium.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
if (!findChromium()) {
  process.stderr.write(`${CHROMIUM_MISSING}\n`);
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  [join(root, "node_modules", "@playwright", "test", "cli.js"), "test", ...process.argv.slice(2)],
  { cwd: root, stdio: "inherit" },
);
process.exit(result.status ?? 1);
