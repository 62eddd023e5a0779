import { createSimulatedDevice } from "@beacon/sim";
import { expect, test } from "@playwright/test";
import { adminAccount, callApi, homeDomain, signIn } from "./fixtures/console";

test("a hotel's rooms come from a spreadsheet, its ONU provisions itself, and a checkout goes from pending to done", async ({
  page,
}, testInfo) => {
  test.setTimeout(180_000);
  const run = Date.now().toString(36).toUpperCase();
  const serialNumber = `E2EHOTEL${run}`;
  await signIn(page, adminAccount());
  const platform = await homeDomain(page.request);
  const hotel = await callApi<{ id: string }>(page.request, "domains.create", {
    parentId: platform.id,
    name: `Hotel Azur ${run}`,
    kind: "hotel",
  });

  await page.goto(`/sites?domain=${hotel.id}`);
  await expect(page.getByRole("heading", { name: `Rooms of Hotel Azur ${run}` })).toBeVisible();
  await expect(page.getByRole("heading", { name: "No rooms yet" })).toBeVisible();

  // The dry run shows the bad row and why; only the good rows are imported, and only when asked.
  await page.getByRole("button", { name: "Import spreadsheet" }).click();
  await page
    .getByLabel("Rooms (CSV)")
    .fill(
      ["room,floor,serial", `101,1,${serialNumber}`, "102,1,", "103,1,", `104,1,${serialNumber}`, "105,2,"].join("\n"),
    );
  await page.getByRole("button", { name: "Check file (dry run)" }).click();
  const dryRun = page.getByRole("region", { name: "Dry run" });
  await expect(dryRun.getByText(`Serial ${serialNumber} is on line 2 too.`)).toBeVisible();
  await expect(dryRun.getByText("1 row needs fixing: lines 5.")).toBeVisible();
  await expect(page.getByRole("heading", { name: "No rooms yet" })).toHaveCount(0);
  await page.getByRole("button", { name: "Import 4 good rows" }).click();
  await expect(page.getByText("Imported. 4 new rooms, 2 new floors, 1 device registered.")).toBeVisible();
  await page.getByRole("button", { name: "Close" }).click();

  const room = (number: string) => page.locator(`li[data-room="${number}"]`);
  await expect(page.getByRole("region", { name: "Floor 1" }).locator("li[data-room]")).toHaveCount(3);
  await expect(page.getByRole("region", { name: "Floor 2" }).locator("li[data-room]")).toHaveCount(1);
  await expect(room("101")).toContainText("Waiting for its device");
  await expect(room("102")).toHaveAttribute("data-state", "unprovisioned");

  // The ONU calls Beacon for the first time: it matches the pre-registration and lands in room 101.
  const device = createSimulatedDevice({
    model: "beacon-onu-tr098",
    acsUrl: `http://127.0.0.1:${process.env.BEACON_E2E_CWMP_PORT}/`,
    serialNumber,
    username: "beacon",
    password: "beacon",
  });
  try {
    expect((await device.inform()).outcome).toBe("completed");
    await expect(room("101")).toHaveAttribute("data-state", "online");
    await expect(room("101")).toContainText(serialNumber);

    await room("101").getByRole("button", { name: "Check out room 101" }).click();
    const confirm = page.getByRole("dialog", { name: "Reset WiFi for room 101?" });
    await expect(confirm.getByText("The guest's devices will be disconnected.")).toBeVisible();
    await confirm.getByRole("button", { name: "Check out", exact: true }).click();

    const done = page.getByRole("dialog", { name: "Room 101 checked out" });
    const passphrase = (await done.locator("output").innerText()).trim();
    expect(passphrase).toMatch(/^[\x20-\x7e]{8,63}$/);
    await expect(done.getByText("Pending", { exact: true })).toBeVisible();
    await expect(done.getByRole("button", { name: "Print card" })).toBeEnabled();
    await done.getByRole("button", { name: "Close" }).click();
    await expect(room("101")).toHaveAttribute("data-state", "pending-checkout");
    await expect(room("101")).toContainText("Checkout pending");
    const checkoutRow = page.locator('tr[data-checkout-room="101"]');
    await expect(checkoutRow).toContainText("Pending");
    await expect(checkoutRow).toContainText(passphrase);

    // The device's next session runs the checkout's tasks; the grid shows it done without a reload.
    expect((await device.inform()).outcome).toBe("completed");
    await expect(room("101")).toHaveAttribute("data-state", "online", { timeout: 15_000 });
    await expect(checkoutRow).toContainText("Done", { timeout: 15_000 });
    expect(device.get("InternetGatewayDevice.LANDevice.1.WLANConfiguration.1.KeyPassphrase")).toBe(passphrase);

    await page.getByRole("region", { name: "Floor 1" }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: testInfo.outputPath("room-grid.png"), fullPage: true });
  } finally {
    await device.close();
  }
});
