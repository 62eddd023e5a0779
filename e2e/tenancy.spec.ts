import { expect, type Page, test } from "@playwright/test";
import { signIn } from "./fixtures/console.ts";
import { type SeededIntegrator, seedIntegrator } from "./fixtures/seed.ts";

/**
 * An integrator sets up a hotel: creates its domain, invites its people, hands it two devices. The hotel's people
 * then see exactly those devices, and their roles decide what they may do with them.
 */
test.describe.configure({ mode: "serial" });

const run = Date.now().toString(36);
const hotelName = `Hotel Miramar ${run}`;
const hotelViewer = { email: `frontdesk-${run}@hotel.e2e.example.com`, password: "front-desk-password" };
const hotelSupport = { email: `support-${run}@hotel.e2e.example.com`, password: "support-tech-password" };
let integrator: SeededIntegrator;

async function screenshot(page: Page, name: string) {
  await page.screenshot({ path: test.info().outputPath(`${name}.png`), fullPage: true });
  await test.info().attach(name, { path: test.info().outputPath(`${name}.png`), contentType: "image/png" });
}

/**
 * Opens the device list from the main navigation and waits for it: until then the dashboard is still on screen,
 * whose latest contacts link the same devices.
 */
async function openDevices(page: Page) {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Devices" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Devices", exact: true })).toBeVisible();
}

function deviceRows(page: Page) {
  return page
    .getByRole("table")
    .getByRole("row")
    .filter({ has: page.getByRole("checkbox", { name: /^Select E2E/ }) });
}

test.beforeAll(async () => {
  integrator = await seedIntegrator(run);
});

test("the integrator owner creates a hotel, invites its people and moves two devices into it", async ({ page }) => {
  await signIn(page, integrator.owner);
  await expect(page.getByRole("navigation", { name: "Breadcrumb" })).toContainText(integrator.domain.name);

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Domains" }).click();
  await page.getByRole("button", { name: "New domain" }).click();
  const newDomain = page.getByRole("form", { name: "New domain" });
  await newDomain.getByLabel("Name").fill(hotelName);
  await newDomain.getByLabel("Kind").selectOption({ label: "Hotel" });
  await newDomain.getByRole("button", { name: "Create domain" }).click();
  await expect(page.getByRole("status")).toHaveText(`Created ${hotelName}.`);
  await expect(page.getByRole("button", { name: `Open ${hotelName}` })).toBeVisible();

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users" }).click();
  for (const [person, role] of [
    [hotelViewer, "Viewer"],
    [hotelSupport, "Support"],
  ] as const) {
    await page.getByRole("button", { name: "Invite user" }).click();
    const invite = page.getByRole("form", { name: "Invite user" });
    await invite.getByLabel("Email").fill(person.email);
    await invite.getByLabel("First password").fill(person.password);
    await invite.getByLabel("Domain").selectOption({ label: `${integrator.domain.name} / ${hotelName}` });
    await invite.getByLabel("Role").selectOption(role.toLowerCase());
    await invite.getByRole("button", { name: "Invite" }).click();
    await expect(page.getByRole("status")).toContainText(`Invited ${person.email}.`);
    await expect(page.getByRole("row", { name: new RegExp(person.email) })).toContainText(`${role} on`);
  }

  await openDevices(page);
  await expect(deviceRows(page)).toHaveCount(integrator.devices.length);
  const [first, second] = integrator.devices;
  await page.getByRole("checkbox", { name: `Select ${first!.serialNumber}` }).check();
  await page.getByRole("checkbox", { name: `Select ${second!.serialNumber}` }).check();
  await expect(page.getByText("2 devices selected")).toBeVisible();
  await page.getByRole("button", { name: "Move to domain…" }).click();
  const dialog = page.getByRole("dialog", { name: "Move 2 devices" });
  await dialog.getByLabel("Destination domain").selectOption({ label: `${integrator.domain.name} / ${hotelName}` });
  await dialog.getByRole("button", { name: "Move devices" }).click();
  await expect(page.getByRole("status")).toHaveText(`Moved 2 devices to ${hotelName}.`);
  await expect(page.getByRole("row", { name: new RegExp(first!.serialNumber) })).toContainText(hotelName);

  await screenshot(page, "devices-list");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Dashboard" }).click();
  await expect(page.getByRole("heading", { name: "Firmware by model" })).toBeVisible();
  await screenshot(page, "dashboard");
  await openDevices(page);
  await page.getByRole("link", { name: first!.serialNumber }).click();
  await expect(page.getByRole("heading", { name: first!.serialNumber })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Task history" })).toBeVisible();
  await screenshot(page, "device-page");
});

test("the hotel's user sees exactly the two devices, and as a viewer can change nothing", async ({ page }) => {
  await signIn(page, hotelViewer);
  const breadcrumb = page.getByRole("navigation", { name: "Breadcrumb" });
  await expect(breadcrumb).toHaveText(hotelName);
  await expect(breadcrumb).not.toContainText(integrator.domain.name);

  await openDevices(page);
  const rows = deviceRows(page);
  await expect(rows).toHaveCount(2);
  const [first, second, third] = integrator.devices;
  await expect(rows.filter({ hasText: first!.serialNumber })).toHaveCount(1);
  await expect(rows.filter({ hasText: second!.serialNumber })).toHaveCount(1);
  await expect(page.getByText(third!.serialNumber)).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Move to domain…" })).toHaveCount(0);

  await page.getByRole("link", { name: first!.serialNumber }).click();
  await expect(page.getByRole("heading", { name: first!.serialNumber })).toBeVisible();
  await page.getByLabel("Search parameters").fill("SSID");
  await expect(page.getByRole("list", { name: "Matching parameters" })).toContainText("Device.WiFi.SSID.1.SSID");
  for (const action of ["Reboot", "Factory reset", "Refresh all parameters"]) {
    await expect(page.getByRole("button", { name: action })).toHaveCount(0);
  }
  await expect(page.getByRole("button", { name: /^Change / })).toHaveCount(0);

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Domains" }).click();
  await expect(page.getByRole("heading", { name: "Domains", level: 1 })).toBeVisible();
  await expect(page.getByRole("button", { name: "New domain" })).toHaveCount(0);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users" }).click();
  await expect(page.getByText("Your role here does not include the list of users")).toBeVisible();

  // What the console hides, the API refuses too.
  const refused = await page.request.post("/api/trpc/devices.act", {
    data: { json: { deviceId: first!.id, action: { kind: "reboot" } } },
  });
  expect(refused.status()).toBe(403);
  const outside = await page.request.get(
    `/api/trpc/devices.get?input=${encodeURIComponent(JSON.stringify({ json: { deviceId: third!.id } }))}`,
  );
  expect(outside.status()).toBe(404);
});

test("a support user can reboot a device but has no way to change a parameter", async ({ page }) => {
  await signIn(page, hotelSupport);
  await openDevices(page);
  const device = integrator.devices[0]!;
  await page.getByRole("link", { name: device.serialNumber }).click();
  await expect(page.getByRole("heading", { name: device.serialNumber })).toBeVisible();

  await page.getByLabel("Search parameters").fill("SSID");
  await expect(page.getByRole("list", { name: "Matching parameters" })).toContainText("Device.WiFi.SSID.1.SSID");
  await expect(page.getByRole("button", { name: /^Change / })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Factory reset" })).toHaveCount(0);

  await page.getByRole("button", { name: "Reboot" }).click();
  const confirm = page.getByRole("dialog", { name: `Reboot ${device.serialNumber}?` });
  await expect(confirm).toContainText("restarts at its next session");
  await confirm.getByRole("button", { name: "Reboot" }).click();
  await expect(page.getByRole("status")).toHaveText(
    `Reboot queued for ${device.serialNumber}. It runs at the device's next session.`,
  );
  await expect(page.getByRole("row", { name: /Reboot/ })).toContainText("Waiting");

  const refused = await page.request.post("/api/trpc/devices.act", {
    data: {
      json: {
        deviceId: device.id,
        action: { kind: "setParameterValues", values: [{ name: "Device.WiFi.SSID.1.SSID", value: "Hacked" }] },
      },
    },
  });
  expect(refused.status()).toBe(403);
});

test("each step is in the integrator's audit log", async ({ page }) => {
  await signIn(page, integrator.owner);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit log" }).click();
  const table = page.getByRole("table");
  const row = (what: string, text: string) =>
    table.getByRole("row").filter({ hasText: what }).filter({ hasText: text });
  const [first, second] = integrator.devices;
  await expect(row("Created a domain", hotelName)).toHaveCount(1);
  await expect(row("Invited a user", hotelViewer.email)).toHaveCount(1);
  await expect(row("Invited a user", hotelSupport.email)).toHaveCount(1);
  await expect(row("Moved a device", first!.serialNumber)).toHaveCount(1);
  await expect(row("Moved a device", second!.serialNumber)).toHaveCount(1);
  await expect(row("Reboot", hotelSupport.email)).toHaveCount(1);
  await expect(row("Moved a device", first!.serialNumber)).toContainText(`${integrator.domain.name} / ${hotelName}`);

  await page.getByLabel("What").selectOption({ label: "Moved a device" });
  await expect(table.getByRole("row").filter({ hasText: "device.move" })).toHaveCount(2);
  await screenshot(page, "audit-log");
});
