import { createSimulatedDevice } from "@beacon/sim";
import { expect, test } from "@playwright/test";
import { adminAccount, callApi, homeDomain, signIn, uniqueEmail } from "./fixtures/console";

const acsUrl = () => `http://127.0.0.1:${process.env.BEACON_E2E_CWMP_PORT}/`;
const PASSPHRASE = "InternetGatewayDevice.LANDevice.1.WLANConfiguration.1.KeyPassphrase";

test("a hotel operator enrolls an ONU with the hotel's own credential, claims it to a room, and a viewer sees •••• for its passphrase", async ({
  page,
  browser,
}, testInfo) => {
  test.setTimeout(180_000);
  const run = Date.now().toString(36).toUpperCase();
  const hotelName = `Hotel Enrolled ${run}`;
  const serialNumber = `E2EENROLL${run}`;
  // Every page carries the security headers.
  const signInPage = await page.goto("/signin");
  const headers = signInPage?.headers() ?? {};
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("same-origin");
  await signIn(page, adminAccount());
  const platform = await homeDomain(page.request);
  const hotel = await callApi<{ id: string }>(page.request, "domains.create", {
    parentId: platform.id,
    name: hotelName,
    kind: "hotel",
  });
  await callApi(page.request, "sites.createRoomRange", { siteId: hotel.id, from: 101, to: 102 });
  const operator = { email: uniqueEmail("operator"), password: "Hotel-operator-e2e-2026" };
  const viewer = { email: uniqueEmail("viewer"), password: "Hotel-viewer-e2e-2026" };
  await callApi(page.request, "users.invite", { ...operator, tenantId: hotel.id, role: "operator" });
  await callApi(page.request, "users.invite", { ...viewer, tenantId: hotel.id, role: "viewer" });

  const operatorPage = await browser.newPage({ baseURL: testInfo.project.use.baseURL });
  await signIn(operatorPage, operator);
  await operatorPage.goto(`/provisioning?domain=${hotel.id}`);
  const panel = operatorPage.getByRole("region", { name: `Enroll devices into ${hotelName}` });
  await expect(panel.getByTestId("enrollment-url")).toHaveText(
    new RegExp(`^http://[^/]+:${process.env.BEACON_E2E_CWMP_PORT}/$`),
  );
  await panel.getByRole("button", { name: "Make an enrollment credential" }).click();
  await expect(panel.getByText("Copy the password now")).toBeVisible();
  const username = (await panel.getByTestId("enrollment-username").innerText()).trim();
  const password = (await panel.getByTestId("enrollment-password").innerText()).trim();
  expect(username).toMatch(/^enroll-hotel-enrolled-/);
  expect(password.length).toBeGreaterThanOrEqual(20);

  const device = createSimulatedDevice({
    model: "beacon-onu-tr098",
    acsUrl: acsUrl(),
    serialNumber,
    username,
    password,
  });
  try {
    expect((await device.inform()).outcome).toBe("completed");

    // The hotel's inbox, as its operator sees it: the ONU is there, and nothing of the platform's.
    await operatorPage.reload();
    const row = operatorPage.getByRole("row").filter({ hasText: serialNumber });
    await expect(row).toBeVisible();
    await expect(row).toContainText(hotelName);
    await row.getByRole("button", { name: `Claim ${serialNumber}` }).click();
    const dialog = operatorPage.getByRole("dialog", { name: `Claim ${serialNumber}` });
    const site = dialog.getByLabel("Site", { exact: true });
    const siteValue = await site.locator("option", { hasText: hotelName }).getAttribute("value");
    await site.selectOption(siteValue ?? "");
    await dialog.getByLabel("Room", { exact: true }).selectOption({ label: "101" });
    await dialog.getByRole("button", { name: "Claim", exact: true }).click();
    await expect(operatorPage.getByText(`${serialNumber} now belongs to room 101`)).toBeVisible();
    await operatorPage.screenshot({ path: testInfo.outputPath("enrolled-and-claimed.png"), fullPage: true });

    // Beacon reads the ONU's parameters, passphrase included.
    const deviceId = (
      await callApi<{ rows: { id: string }[] }>(
        page.request,
        "devices.list",
        { tenantId: hotel.id, search: serialNumber },
        "query",
      )
    ).rows[0]?.id;
    expect(deviceId).toBeTruthy();
    await callApi(page.request, "devices.act", { deviceId, action: { kind: "refresh", path: "" } });
    await expect.poll(async () => (await device.inform()).rpcs).toContain("GetParameterValues");
    // The ONU reads its passphrase back empty (write-only, as real ones do) until Beacon sets one.
    const stored = device.get(PASSPHRASE) ?? "";

    const viewerPage = await browser.newPage({ baseURL: testInfo.project.use.baseURL });
    await signIn(viewerPage, viewer);
    await viewerPage.goto(`/devices/${deviceId}?domain=${hotel.id}`);
    await viewerPage.getByLabel("Search parameters").fill("KeyPassphrase");
    const results = viewerPage.getByRole("list", { name: "Matching parameters" });
    const item = results.getByRole("listitem").filter({ hasText: PASSPHRASE });
    await expect(item).toContainText("••••");
    await expect(item.getByRole("button", { name: /Reveal/ })).toHaveCount(0);
    if (stored) await expect(viewerPage.getByText(stored)).toHaveCount(0);
    await viewerPage.screenshot({ path: testInfo.outputPath("viewer-masked-passphrase.png"), fullPage: true });

    // The operator may reveal it; the audit log records that, not the value.
    await operatorPage.goto(`/devices/${deviceId}?domain=${hotel.id}`);
    await operatorPage.getByLabel("Search parameters").fill("KeyPassphrase");
    const operatorItem = operatorPage
      .getByRole("list", { name: "Matching parameters" })
      .getByRole("listitem")
      .filter({ hasText: PASSPHRASE });
    await operatorItem.getByRole("button", { name: `Reveal ${PASSPHRASE}` }).click();
    await expect(operatorItem.getByTestId("revealed-secret")).toHaveCount(1);
    const audit = await callApi<{ rows: { action: string; after: unknown }[] }>(
      page.request,
      "audit.list",
      { tenantId: hotel.id, action: "device.revealSecret" },
      "query",
    );
    expect(audit.rows).toHaveLength(1);
    if (stored) expect(JSON.stringify(audit.rows)).not.toContain(stored);
  } finally {
    await device.close();
  }
});
