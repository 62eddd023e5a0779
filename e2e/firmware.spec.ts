import { randomBytes } from "node:crypto";
import { createSimulatedDevice, type SimulatedDevice, startConnectionRequestListener } from "@beacon/sim";
import { expect, test } from "@playwright/test";
import { adminAccount, signIn } from "./fixtures/console";

// An operator uploads an image in the browser, starts a two-wave campaign for two simulated ONUs that listen for
// connection requests, pauses and resumes it, and watches it complete: each device downloads the image from
// Beacon's file server, reboots into it and informs with the new version.
test("an uploaded image rolls out to two devices in two waves, watched live in the browser", async ({
  page,
}, testInfo) => {
  test.setTimeout(150_000);
  const stamp = Date.now();
  const productClass = `E2EFW${stamp}`;
  const version = `V9.${stamp % 1000}.0`;
  const listener = await startConnectionRequestListener({ udpPort: false });
  const devices: SimulatedDevice[] = [];
  try {
    for (const n of [1, 2]) {
      const device = createSimulatedDevice({
        model: "beacon-onu-tr098",
        acsUrl: `http://127.0.0.1:${process.env.BEACON_E2E_CWMP_PORT}/`,
        serialNumber: `${productClass}-${n}`,
        productClass,
        softwareVersion: "V1.0.0",
        username: "beacon",
        password: "beacon",
        // The device installs whatever it downloads; the campaign expects the version the image is tagged with.
        firmwareVersionOf: () => version,
        timing: { timeScale: 0.01 },
      });
      devices.push(device);
      expect((await device.inform()).outcome).toBe("completed");
      device.start({ boot: false });
    }

    await signIn(page, adminAccount());
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Firmware" }).click();
    await expect(page.getByRole("heading", { name: "Firmware", level: 1 })).toBeVisible();
    await page.getByRole("navigation", { name: "Firmware" }).getByRole("link", { name: "Images" }).click();

    const upload = page.getByRole("form", { name: "Upload firmware" });
    await upload.getByLabel("Image file").setInputFiles({
      name: `${productClass}-${version}.bin`,
      mimeType: "application/octet-stream",
      buffer: randomBytes(512 * 1024),
    });
    await upload.getByLabel("Vendor").fill("Beacon Sim");
    await upload.getByLabel("Version").fill(version);
    await upload.getByLabel("Product classes").fill(productClass);
    await upload.getByRole("button", { name: "Upload" }).click();
    await expect(upload.getByText(/uploaded; SHA-256 [0-9a-f]{64}/)).toBeVisible({ timeout: 20_000 });
    await expect(page.getByRole("table", { name: "Firmware images" })).toContainText(`${productClass}-${version}.bin`);

    await page.getByRole("navigation", { name: "Firmware" }).getByRole("link", { name: "Campaigns" }).click();
    await page.getByRole("link", { name: "New campaign" }).first().click();
    const form = page.getByRole("form", { name: "New firmware campaign" });
    await form.getByLabel("Image").selectOption({ label: `${productClass}-${version}.bin (${version})` });
    await expect(form.getByRole("group", { name: "Models" }).getByLabel(productClass)).toBeChecked();
    await form.getByLabel("Waves").fill("50, 100");
    // Any time of day: the platform's sites are not all hotels, so no night window is proposed.
    await expect(form.getByLabel(/Start devices only between two times/)).not.toBeChecked();
    await form.getByRole("button", { name: "Review campaign" }).click();
    const confirm = page.getByRole("dialog", { name: `Upgrade 2 devices to ${version}?` });
    await expect(confirm).toContainText("At once, any time of day");
    await confirm.getByRole("button", { name: "Start the campaign on 2 devices" }).click();

    await expect(page.getByRole("heading", { name: `${productClass} to ${version}`, level: 1 })).toBeVisible({
      timeout: 20_000,
    });
    const progress = page.getByRole("region", { name: "Progress" });
    await expect(progress.getByText("Running", { exact: true })).toBeVisible();
    await expect(progress.getByRole("status")).toContainText("of 2 devices installed");

    // The devices do not listen for connection requests yet, so nothing moves while the campaign is paused and
    // resumed. Pausing asks first, and says why nothing starts.
    await page.getByRole("button", { name: "Pause" }).click();
    const pauseDialog = page.getByRole("dialog", { name: "Pause this campaign?" });
    await pauseDialog.getByRole("button", { name: "Pause" }).click();
    await expect(progress.getByText(/^Paused: paused by /)).toBeVisible();
    await page.getByRole("button", { name: "Resume" }).click();
    await page.getByRole("dialog", { name: "Resume this campaign?" }).getByRole("button", { name: "Resume" }).click();
    await expect(progress.getByText(/^Paused: /)).toBeHidden();
    await expect(page.getByRole("button", { name: "Resume" })).toBeHidden();
    await expect(progress.getByText("Running", { exact: true })).toBeVisible();

    // Now they listen, and say so in an Inform: the first wave's device finds its download in that session.
    for (const device of devices) {
      listener.register(device);
      expect((await device.inform()).outcome).toBe("completed");
    }

    // The ingress's scheduler (every 2 s here) follows each device to its new version, wave after wave.
    await expect(progress.getByRole("status")).toContainText("Completed: 2 of 2 devices installed", {
      timeout: 90_000,
    });
    await expect(progress.getByRole("img", { name: "All devices: 2 installed" })).toBeVisible();
    const table = page.getByRole("region", { name: "Devices" }).getByRole("table");
    await expect(table.getByRole("row")).toHaveCount(3);
    await expect(table).toContainText("Installed");
    await expect(table).toContainText(version);
    await page.screenshot({ path: testInfo.outputPath("campaign-completed.png"), fullPage: true });
    for (const device of devices) expect(device.get("InternetGatewayDevice.DeviceInfo.SoftwareVersion")).toBe(version);

    await page.getByRole("link", { name: "← Firmware campaigns" }).click();
    await expect(page.getByRole("table", { name: "Firmware campaigns" })).toContainText("2 of 2 installed");
  } finally {
    for (const device of devices) await device.close();
    await listener.close();
  }
});
