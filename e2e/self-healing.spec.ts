import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { runRecovery } from "../bench/src/scenarios/recovery";
import { beaconCommand, repoRoot, startBeacon, waitForOutput } from "./support/beacon-process";

// Fault injection on Beacons of their own (next to the suite's): real processes killed with SIGKILL.

test("kill -9 of each child of beacon start (ingress, PostgreSQL, console, USP controller, worker) under load: each serves again, nothing accepted is lost", async () => {
  test.setTimeout(600_000);
  const result = await runRecovery({
    repoRoot,
    devices: 40,
    informSeconds: 4,
    tasksPerKill: 15,
    keep: false,
    progress: (line) => console.log(line),
  });
  test.info().annotations.push({ type: "measured", description: JSON.stringify(result) });
  for (const kill of result.kills) {
    expect(kill.recoverySeconds, `${kill.child} serves again`).not.toBeNull();
    expect(kill.restarts, `${kill.child} restarted once`).toBe(1);
  }
  expect(result.kills.map((k) => k.child)).toEqual(["ingress", "postgres", "console", "usp", "worker"]);
  expect(result.tasks.accepted).toBeGreaterThan(0);
  expect(result.tasks.lost).toBe(0);
  expect(result.tasks.done).toBe(result.tasks.accepted);
  expect(result.webhooks.due).toBeGreaterThanOrEqual(result.tasks.done);
  expect(result.webhooks.lost).toBe(0);
  expect(result.shutdown.exitCode).toBe(0);
});

test("the status page shows each restart and why to the platform's staff, not to a hotel's; the console shows the database outage in words", async ({
  browser,
}) => {
  test.setTimeout(300_000);
  const dataDir = mkdtempSync(join(tmpdir(), "beacon-healing-"));
  const consolePort = await freePort();
  const cwmpPort = await freePort();
  const env = {
    BEACON_DATA_DIR: dataDir,
    CONSOLE_PORT: String(consolePort),
    CWMP_PORT: String(cwmpPort),
    BEACON_ADMIN_EMAIL: "owner@healing.beacon.test",
    BEACON_ADMIN_PASSWORD: "healing-password-1",
    BEACON_INGRESS_PROCESSES: "2",
  };
  const beacon = startBeacon(env);
  try {
    await waitForOutput(beacon, /Beacon is running/);
    await beaconCommand(["tenant", "create", "Hotel Healing", "--kind", "hotel"], env);
    const hotelUser = await beaconCommand(
      [
        "user",
        "create",
        "staff@healing.beacon.test",
        "--password",
        "hotel-password-1",
        "--tenant",
        "Hotel Healing",
        "--role",
        "owner",
      ],
      env,
    );
    expect(hotelUser.code).toBe(0);
    const status = () => JSON.parse(readFileSync(join(dataDir, "run", "status.json"), "utf8"));
    const pidOf = (key: string) => status().children.find((c: { key: string }) => c.key === key).pid as number;

    process.kill(pidOf("ingress-1"), "SIGKILL");
    await waitForOutput(beacon, /the CWMP ingress 1 of 2 restarted/, 60_000);
    expect(beacon.output()).toMatch(/the CWMP ingress 1 of 2 was killed \(SIGKILL\); restarting it in/);

    const page = await browser.newPage({ baseURL: `http://127.0.0.1:${consolePort}` });
    await page.goto("/signin");
    await page.getByLabel("Email").fill(env.BEACON_ADMIN_EMAIL);
    await page.getByLabel("Password").fill(env.BEACON_ADMIN_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible({ timeout: 20_000 });
    await page.getByRole("link", { name: "System status" }).click();
    await expect(page.getByRole("heading", { name: "System status" })).toBeVisible();
    await expect(page.getByText(/the CWMP ingress 1 of 2 was killed \(SIGKILL\); restarting it/)).toBeVisible();
    const ingressRow = page.getByRole("row").filter({ hasText: "CWMP ingress 1 of 2" });
    await expect(ingressRow.getByRole("cell").nth(3)).toHaveText("1");

    // The database dies under the console's feet: a page that needs it says so in words, then comes back.
    // Beacon's supervisor is paused meanwhile, so that the outage lasts longer than the console's own retries
    // (the supervisor would have PostgreSQL back within seconds); it restarts PostgreSQL once resumed.
    await page.goto("/devices");
    const supervisor = beacon.child.pid!;
    process.kill(supervisor, "SIGSTOP");
    try {
      process.kill(pidOf("postgres"), "SIGKILL");
      await page.reload();
      await expect(page.getByRole("heading", { name: "Database unavailable, retrying…" })).toBeVisible({
        timeout: 30_000,
      });
      await expect(page.getByText(/prisma|P1001|127\.0\.0\.1|ECONNREFUSED/i)).toHaveCount(0);
    } finally {
      process.kill(supervisor, "SIGCONT");
    }
    await waitForOutput(beacon, /the embedded PostgreSQL restarted/, 60_000);
    await expect(page.getByRole("heading", { name: "Devices", exact: true })).toBeVisible({ timeout: 30_000 });
    await page.goto("/status");
    await expect(page.getByText(/the embedded PostgreSQL was killed \(SIGKILL\)/)).toBeVisible();
    await page.close();

    const hotel = await browser.newPage({ baseURL: `http://127.0.0.1:${consolePort}` });
    await hotel.goto("/signin");
    await hotel.getByLabel("Email").fill("staff@healing.beacon.test");
    await hotel.getByLabel("Password").fill("hotel-password-1");
    await hotel.getByRole("button", { name: "Sign in" }).click();
    await expect(hotel.getByRole("button", { name: "Sign out" })).toBeVisible({ timeout: 20_000 });
    await expect(hotel.getByRole("link", { name: "System status" })).toHaveCount(0);
    // Not found, as for any page the user has no reach over (Next streams the shell first, so the status may be 200).
    await hotel.goto("/status");
    await expect(hotel.getByText("This page could not be found.")).toBeVisible();
    await expect(hotel.getByText("CWMP ingress")).toHaveCount(0);
    await hotel.close();

    beacon.child.kill("SIGTERM");
    expect(await beacon.exited).toBe(0);
  } finally {
    if (beacon.child.exitCode === null) beacon.child.kill("SIGKILL");
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
