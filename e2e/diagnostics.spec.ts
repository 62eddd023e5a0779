import { createSimulatedDevice } from "@beacon/sim";
import { expect, test } from "@playwright/test";
import { adminAccount, signIn } from "./fixtures/console";
import { beaconCommand } from "./support/beacon-process";

// A ping run from the device page: the console queues it, the simulated device runs it after the session and
// calls home with 8 DIAGNOSTICS COMPLETE, and the page shows the latency; then a one-click health check.
test("a ping run from the device page shows its latency, and a health check summarises the device", async ({
  page,
}, testInfo) => {
  test.setTimeout(120_000);
  const serialNumber = `E2EDIAG${Date.now()}`;
  const device = createSimulatedDevice({
    model: "beacon-onu-tr098",
    acsUrl: `http://127.0.0.1:${process.env.BEACON_E2E_CWMP_PORT}/`,
    serialNumber,
    username: "beacon",
    password: "beacon",
    // A four-ping test takes a second instead of four.
    timing: { timeScale: 0.25 },
  });
  try {
    expect((await device.inform()).outcome).toBe("completed");
    // From now on the device calls home by itself when a test finishes.
    device.start({ boot: false });
    const listed = await beaconCommand(["device", "list", "--json"], {
      BEACON_DATA_DIR: process.env.BEACON_E2E_DATA_DIR!,
    });
    const row = (JSON.parse(listed.stdout) as { id: string; serialNumber: string }[]).find(
      (d) => d.serialNumber === serialNumber,
    );
    expect(row).toBeDefined();

    await signIn(page, adminAccount());
    await page.goto(`/devices/${row!.id}`);
    const diagnostics = page.getByRole("region", { name: "Diagnostics" });
    await expect(diagnostics.getByText(/No diagnostics yet/)).toBeVisible();
    await diagnostics.getByLabel("Test").selectOption("ping");
    await diagnostics.getByLabel("Host to ping").fill("9.9.9.9");
    await diagnostics.getByRole("button", { name: "Run test" }).click();
    await expect(diagnostics.getByRole("status")).toContainText("Waiting for the device");

    // The simulator has no connection-request listener here: the session the wake-up would open is opened by hand.
    expect((await device.inform()).rpcs).toContain("SetParameterValues");
    await expect(diagnostics.getByText("Average latency")).toBeVisible({ timeout: 20_000 });
    await expect(diagnostics.getByText(/^\d+(\.\d+)? ms$/).first()).toBeVisible();
    await expect(diagnostics.getByText(/replies from 9\.9\.9\.9, .*% loss/).first()).toBeVisible();
    await expect(diagnostics.getByRole("img", { name: /Round trip to 9\.9\.9\.9/ })).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath("device-ping.png"), fullPage: true });

    const health = page.getByRole("region", { name: "Health" });
    await health.getByRole("button", { name: "Run health check" }).click();
    await expect(health.getByRole("status")).toContainText("Health check running");
    await device.inform();
    await expect(health.getByRole("status")).toBeHidden({ timeout: 20_000 });
    await expect(health.getByText(/Latency: OK|Latency: Warning/)).toBeVisible({ timeout: 10_000 });
    await expect(health.getByText("Reachability:")).toContainText("OK");
    await expect(health.getByText(/Healthy|Degraded|Failing/).first()).toBeVisible();
  } finally {
    await device.close();
  }
});
