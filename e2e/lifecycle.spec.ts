import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { beaconCommand, startBeacon, waitForOutput } from "./support/beacon-process";

// These tests start Beacons of their own next to the one playwright.config.ts runs for the suite.

test("a second copy started while one runs says which port is taken and exits non-zero", async () => {
  const second = startBeacon({
    BEACON_DATA_DIR: mkdtempSync(join(tmpdir(), "beacon-second-")),
    CONSOLE_PORT: process.env.BEACON_E2E_CONSOLE_PORT!,
    CWMP_PORT: process.env.BEACON_E2E_CWMP_PORT!,
  });
  expect(await second.exited).not.toBe(0);
  expect(second.output()).toContain(`port ${process.env.BEACON_E2E_CONSOLE_PORT} is already in use (CONSOLE_PORT)`);
  expect(second.output()).not.toMatch(/\n\s+at /);
});

test("stopping and starting keeps the data, and SIGTERM stops everything cleanly", async () => {
  test.setTimeout(300_000);
  const dataDir = mkdtempSync(join(tmpdir(), "beacon-restart-"));
  const cwmpPort = await freePort();
  const env = {
    BEACON_DATA_DIR: dataDir,
    CONSOLE_PORT: String(await freePort()),
    CWMP_PORT: String(cwmpPort),
    BEACON_ADMIN_EMAIL: "restart@e2e.beacon.test",
    BEACON_ADMIN_PASSWORD: "restart-password-1",
  };
  try {
    const first = startBeacon(env);
    await waitForOutput(first, /Beacon is running/);
    expect(first.output()).toContain("created the first admin: restart@e2e.beacon.test");
    const created = await beaconCommand(["tenant", "create", "Kept Across Restarts", "--kind", "hotel"], env);
    expect(created.stderr).toBe("");
    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);
    expect(first.output()).toContain("stopped");

    const second = startBeacon(env);
    await waitForOutput(second, /Beacon is running/);
    expect(second.output()).not.toContain("created the first admin");
    const listed = await beaconCommand(["tenant", "list"], env);
    expect(listed.stdout).toContain("Platform / Kept Across Restarts");
    const health = await fetch(`http://127.0.0.1:${cwmpPort}/healthz`);
    expect(health.status).toBe(200);
    second.child.kill("SIGINT");
    expect(await second.exited).toBe(0);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

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
