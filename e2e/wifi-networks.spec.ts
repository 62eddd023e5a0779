import { createSimulatedDevice, type SimulatedDevice } from "@beacon/sim";
import { expect, type Page, test } from "@playwright/test";
import { adminAccount, callApi, homeDomain, signIn } from "./fixtures/console";

const acsUrl = () => `http://127.0.0.1:${process.env.BEACON_E2E_CWMP_PORT}/`;

/** A hotel with a room template and rooms from..to, each with a pre-registered device of the given model. */
async function hotelWithDevices(page: Page, name: string, rooms: Record<string, string>) {
  const run = Date.now().toString(36).toUpperCase();
  const platform = await homeDomain(page.request);
  const hotel = await callApi<{ id: string }>(page.request, "domains.create", {
    parentId: platform.id,
    name: `${name} ${run}`,
    kind: "hotel",
  });
  const numbers = Object.keys(rooms).map(Number);
  await callApi(page.request, "sites.createRoomRange", {
    siteId: hotel.id,
    from: Math.min(...numbers),
    to: Math.max(...numbers),
  });
  await callApi(page.request, "templates.create", {
    tenantId: hotel.id,
    name: "Room WiFi",
    autoApply: true,
    settings: {
      "wifi.2g.ssid": "Mer-{{room.number}}",
      "wifi.5g.ssid": "Mer-{{room.number}}-5G",
      "wifi.6g.ssid": "Mer-{{room.number}}-6G",
      "wifi.2g.passphrase": "{{room.passphrase}}",
      "wifi.5g.passphrase": "{{room.passphrase}}",
      "wifi.6g.passphrase": "{{room.passphrase}}",
      "wifi.guest.passphrase": "{{room.passphrase}}",
    },
    rawParameters: [],
  });
  const grid = await callApi<{ otherRooms: { id: string; number: string }[] }>(
    page.request,
    "sites.grid",
    { siteId: hotel.id },
    "query",
  );
  const devices = new Map<string, SimulatedDevice>();
  for (const [number, model] of Object.entries(rooms)) {
    const serialNumber = `E2EWIFI${number}${run}`;
    const roomId = grid.otherRooms.find((r) => r.number === number)?.id;
    await callApi(page.request, "provisioning.preRegister", { place: { roomId }, serialNumber, replace: false });
    devices.set(
      number,
      createSimulatedDevice({
        model,
        acsUrl: acsUrl(),
        serialNumber,
        username: "beacon",
        password: "beacon",
        secretsReadBack: model === "wifi-181-triband",
      }),
    );
  }
  return { hotel, devices };
}

/** Sessions until the device has nothing more to do (its first session reads its networks and applies the template). */
async function settle(device: SimulatedDevice) {
  for (let i = 0; i < 4; i++) {
    const session = await device.inform();
    expect(session.outcome).toBe("completed");
    if (session.rpcs.length === 0) return;
  }
}

test("a tri-band room is checked out: every network is updated, and the device page shows its network map", async ({
  page,
}, testInfo) => {
  test.setTimeout(120_000);
  await signIn(page, adminAccount());
  const { hotel, devices } = await hotelWithDevices(page, "Hôtel de la Mer", { "601": "wifi-181-triband" });
  const device = devices.get("601")!;
  try {
    await settle(device);
    expect(device.get("Device.WiFi.SSID.3.SSID")).toBe("Mer-601-6G");

    await page.goto(`/sites?domain=${hotel.id}`);
    const room = page.locator('li[data-room="601"]');
    await expect(room).toHaveAttribute("data-state", "online");
    await room.getByRole("button", { name: "Check out room 601" }).click();
    await page
      .getByRole("dialog", { name: "Reset WiFi for room 601?" })
      .getByRole("button", { name: "Check out", exact: true })
      .click();
    const done = page.getByRole("dialog", { name: "Room 601 checked out" });
    const passphrase = (await done.locator("output").innerText()).trim();
    await expect(done.getByText("Pending", { exact: true })).toBeVisible();

    // The device's next session: networks off (clients drop), each back on with the new passphrase, read back.
    await settle(device);
    await expect(done.getByText("Done: every network a guest could use has the new passphrase.")).toBeVisible({
      timeout: 15_000,
    });
    const networks = done.getByRole("list", { name: "Networks" });
    await expect(networks.locator('[data-network-outcome="changed"]')).toHaveCount(3);
    for (const band of ["2.4 GHz", "5 GHz", "6 GHz"]) await expect(networks).toContainText(`${band} main network`);
    for (const i of [1, 2, 3])
      expect(device.get(`Device.WiFi.AccessPoint.${i}.Security.KeyPassphrase`)).toBe(passphrase);
    await page.screenshot({ path: testInfo.outputPath("tri-band-checkout.png"), fullPage: true });
    await done.getByRole("button", { name: "Close" }).click();
    await expect(page.locator('tr[data-checkout-room="601"]')).toContainText("Updated (read back)");

    await room.getByRole("link").click();
    const map = page.getByRole("table", { name: "WiFi networks" });
    await expect(map.getByRole("row")).toHaveCount(4);
    await expect(map.locator('tr[data-band="2.4GHz"]')).toContainText("Mer-601");
    await expect(map.locator('tr[data-band="5GHz"]')).toContainText("Mer-601-5G");
    await expect(map.locator('tr[data-band="6GHz"]')).toContainText("Mer-601-6G");
    await expect(page.getByRole("region", { name: "Networks" })).toContainText("Internet · PPP");
    await page.screenshot({ path: testInfo.outputPath("network-map.png"), fullPage: true });
  } finally {
    await device.close();
  }
});

test("a checkout that cannot reach a network ends incomplete: the room grid names the network and an alarm is raised", async ({
  page,
}, testInfo) => {
  test.setTimeout(120_000);
  await signIn(page, adminAccount());
  const { hotel, devices } = await hotelWithDevices(page, "Hôtel du Port", { "701": "wifi-181-locked-guest" });
  const device = devices.get("701")!;
  try {
    await settle(device);
    const grid = await callApi<{ otherRooms: { id: string; number: string }[] }>(
      page.request,
      "sites.grid",
      { siteId: hotel.id },
      "query",
    );
    const roomId = grid.otherRooms.find((r) => r.number === "701")?.id;
    await callApi(page.request, "checkout.room", { roomId, reboot: false });
    await settle(device);

    await page.goto(`/sites?domain=${hotel.id}`);
    const room = page.locator('li[data-room="701"]');
    await expect(room).toHaveAttribute("data-state", "checkout-incomplete", { timeout: 15_000 });
    await expect(room).toContainText("Checkout incomplete");
    await expect(room.locator("[data-network-left]")).toContainText('5 GHz guest network "Guest-5G"');
    await expect(page.locator('tr[data-checkout-room="701"]')).toContainText("Incomplete");
    await expect(page.locator('tr[data-checkout-room="701"]')).toContainText("Not updated");
    await page.screenshot({ path: testInfo.outputPath("checkout-incomplete.png"), fullPage: true });

    await page.goto(`/alarms?domain=${hotel.id}`);
    await expect(page.getByText(/Room 701: checkout incomplete/)).toBeVisible();
  } finally {
    await device.close();
  }
});
