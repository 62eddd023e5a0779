import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineConfig, devices } from "@playwright/test";
// @ts-expect-error plain ES module shared with scripts/test.mjs
import { CHROMIUM_MISSING, findChromium } from "./scripts/chromium.mjs";

// The suite starts its own Beacon (`beacon start`, the same code as `npm start`) on a throwaway data folder and
// ports of its own, so it never touches a developer's .data/ or a running Beacon. Workers inherit these values.
process.env.BEACON_E2E_DATA_DIR ??= mkdtempSync(join(tmpdir(), "beacon-e2e-"));
process.env.BEACON_E2E_CONSOLE_PORT ??= String(await freePort());
process.env.BEACON_E2E_CWMP_PORT ??= String(await freePort());
process.env.BEACON_E2E_USP_PORT ??= String(await freePort());
process.env.BEACON_E2E_ADMIN_EMAIL ??= "admin@e2e.beacon.test";
process.env.BEACON_E2E_ADMIN_PASSWORD ??= "e2e-admin-password-1";

/** A port nothing listens on now, so that the suite never collides with a running Beacon or another suite. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const chromium = findChromium();
if (!chromium) throw new Error(CHROMIUM_MISSING);
const consoleUrl = `http://localhost:${process.env.BEACON_E2E_CONSOLE_PORT}`;

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results/e2e",
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"], ["html", { open: "never", outputFolder: "test-results/e2e-report" }]],
  use: {
    baseURL: consoleUrl,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    timezoneId: "Europe/Paris",
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: {
          executablePath: chromium,
          args: [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
          ],
        },
      },
    },
  ],
  webServer: {
    command: "node bin/beacon.mjs start",
    url: `${consoleUrl}/api/health`,
    timeout: 300_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 20_000 },
    env: {
      BEACON_DATA_DIR: process.env.BEACON_E2E_DATA_DIR,
      CONSOLE_PORT: process.env.BEACON_E2E_CONSOLE_PORT,
      CWMP_PORT: process.env.BEACON_E2E_CWMP_PORT,
      USP_WS_PORT: process.env.BEACON_E2E_USP_PORT,
      // The simulated USP agents of the suite authenticate with Basic over plain ws://.
      USP_WS_ALLOW_BASIC: "true",
      BEACON_ADMIN_EMAIL: process.env.BEACON_E2E_ADMIN_EMAIL,
      BEACON_ADMIN_PASSWORD: process.env.BEACON_E2E_ADMIN_PASSWORD,
      DATABASE_URL: "",
      BEACON_CWMP_BOOTSTRAP_USERNAME: "beacon",
      BEACON_CWMP_BOOTSTRAP_PASSWORD: "beacon",
      // Campaigns move on every 2 s instead of every 30 s, so that a test watches one complete.
      BEACON_CAMPAIGN_INTERVAL: "2",
      // The simulated devices listen for connection requests on 127.0.0.1, refused by default.
      BEACON_CONNECTION_REQUEST_ALLOW: "loopback",
    },
  },
});
