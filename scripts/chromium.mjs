import { existsSync } from "node:fs";

/** Chromium for Playwright: PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH, then Debian's /usr/bin/chromium. */
export function findChromium() {
  const candidates = [
    process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH,
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
  ];
  return candidates.find((path) => path && existsSync(path));
}

export const CHROMIUM_MISSING =
  "No Chromium found for the browser tests: install one with `sudo apt-get install -y chromium` (Debian/Ubuntu), " +
  "or set PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH to a Chromium or Chrome executable.";
