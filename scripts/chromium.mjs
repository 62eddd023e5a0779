import { existsSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { homedir } from "node:os";
import { join } from "node:path";

/**
 * A Chromium for Playwright, first found of: PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH, the one `npx playwright install
 * chromium` put in Playwright's own cache (this version's, then any other), the system's.
 */
export function findChromium() {
  return candidates().find((path) => path && existsSync(path));
}

function candidates() {
  return [
    process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH,
    playwrightsOwn(),
    ...playwrightCache(),
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
    "/usr/bin/google-chrome-stable",
  ];
}

/** Where this Playwright version keeps the Chromium it downloads. */
function playwrightsOwn() {
  try {
    return createRequire(import.meta.url)("playwright-core").chromium.executablePath();
  } catch {
    return undefined;
  }
}

/** Chromium builds of other Playwright versions in the cache (newest first). */
function playwrightCache() {
  const cache = process.env.PLAYWRIGHT_BROWSERS_PATH || join(homedir(), ".cache", "ms-playwright");
  let builds;
  try {
    builds = readdirSync(cache).filter((name) => /^chromium-\d+$/.test(name));
  } catch {
    return [];
  }
  builds.sort((a, b) => Number(b.slice(9)) - Number(a.slice(9)));
  return builds.flatMap((build) => [
    join(cache, build, "chrome-linux64", "chrome"),
    join(cache, build, "chrome-linux", "chrome"),
  ]);
}

/** The one command that gives this machine a Chromium: Debian's package where apt-get exists, else Playwright's. */
export function chromiumInstallCommand() {
  if (existsSync("/usr/bin/apt-get")) {
    return process.getuid?.() === 0 ? "apt-get install -y chromium" : "sudo apt-get install -y chromium";
  }
  return "npx playwright install chromium";
}

export const CHROMIUM_MISSING =
  `No Chromium found for the browser tests. Install one with: ${chromiumInstallCommand()}\n` +
  "(or set PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH to a Chromium or Chrome executable).";
