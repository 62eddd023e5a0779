import { FiasPmsStandIn } from "@beacon/sim";
import { expect, test } from "@playwright/test";
import { adminAccount, callApi, homeDomain, hotelWithOnu, signIn, uniqueEmail } from "./fixtures/console";

/**
 * The hotel's OPERA/Suite8 PMS, played by a FIAS stand-in listening here: configured in the console, Beacon's worker
 * connects to it, and a guest's check-out in the PMS (GO) checks the room out on the room's ONU.
 */
test("a FIAS check-out from the PMS checks the room out, and the grid and the hotel's page show it", async ({
  page,
  browser,
}, testInfo) => {
  test.setTimeout(180_000);
  const run = Date.now().toString(36).toUpperCase();
  const serialNumber = `E2EPMS${run}`;
  const pms = await FiasPmsStandIn.start({ keepAliveMs: 2000 });
  await signIn(page, adminAccount());
  const { hotel, device } = await hotelWithOnu(page.request, {
    name: `Hôtel Mistral ${run}`,
    from: 101,
    to: 102,
    serialNumber,
  });
  const viewer = { email: uniqueEmail("pms-viewer"), password: "pms-viewer-password-1" };
  try {
    expect((await device.inform()).outcome).toBe("completed");
    expect((await device.inform()).outcome).toBe("completed");

    // The hotel's page says no PMS is connected and leads to its settings.
    await page.goto(`/sites?domain=${hotel.id}`);
    const status = page.getByTestId("pms-status");
    await expect(status).toContainText("No PMS is connected");
    await status.getByRole("link", { name: "Connect the PMS" }).click();
    await expect(page.getByRole("heading", { name: `PMS of Hôtel Mistral ${run}` })).toBeVisible();

    const form = page.getByRole("form", { name: "Property-management system" });
    await form.getByLabel("PMS", { exact: true }).selectOption("fias");
    await form.getByLabel("PMS interface host").fill(pms.host);
    await form.getByLabel("PMS interface port").fill(String(pms.port));
    // The PMS numbers its rooms "0101".
    await form.getByLabel("Remove leading zeros (0102 becomes 102)").check();
    await form.getByRole("button", { name: "Save" }).click();
    await expect(page.getByText("The PMS connection is saved.")).toBeVisible();

    // The worker opens the link within a scan; the status says so.
    await pms.waitForLink(30_000);
    expect(pms.problems).toEqual([]);
    await expect(page.getByTestId("pms-state")).toHaveText("Connected", { timeout: 15_000 });

    await page.goto(`/sites?domain=${hotel.id}`);
    const room = page.locator('li[data-room="101"]');
    await expect(room).toHaveAttribute("data-state", "online");
    await expect(page.getByTestId("pms-state")).toHaveText("Connected");
    await expect(page.getByTestId("pms-last-record")).toContainText("Last record: never");

    // The guest checks out at the front desk's PMS.
    pms.send("GO|RN0101|GSN|G#12345666|");
    await expect(room).toHaveAttribute("data-state", "pending-checkout", { timeout: 15_000 });
    const checkoutRow = page.locator('tr[data-checkout-room="101"]');
    await expect(checkoutRow).toContainText("Pending");
    await expect(page.getByTestId("pms-last-record")).not.toContainText("never");
    await expect(page.getByTestId("pms-status")).toContainText("1 checkout");

    // The ONU's next session runs the checkout; the grid shows it done without a reload.
    for (let i = 0; i < 3; i++) expect((await device.inform()).outcome).toBe("completed");
    await expect(checkoutRow).toContainText("Done", { timeout: 15_000 });
    await expect(room).toHaveAttribute("data-state", "online");
    const passphrase = device.get("InternetGatewayDevice.LANDevice.1.WLANConfiguration.1.KeyPassphrase");
    await expect(checkoutRow).toContainText(passphrase ?? "(none)");
    await page.screenshot({ path: testInfo.outputPath("pms-room-grid.png"), fullPage: true });

    // A viewer of the hotel sees the status but cannot change the connection.
    await callApi(page.request, "users.invite", { ...viewer, tenantId: hotel.id, role: "viewer" });
    const viewerPage = await browser.newPage({ baseURL: testInfo.project.use.baseURL });
    try {
      await signIn(viewerPage, viewer);
      await viewerPage.goto(`/sites/pms?domain=${hotel.id}`);
      await expect(viewerPage.getByTestId("pms-state")).toHaveText("Connected");
      await expect(viewerPage.getByText("Only an owner of this hotel can change its PMS connection.")).toBeVisible();
      await expect(viewerPage.getByRole("form", { name: "Property-management system" })).toHaveCount(0);
      await expect(viewerPage.getByRole("button", { name: "Save" })).toHaveCount(0);
      const refused = await viewerPage.request.post("/api/trpc/pms.save", {
        data: { json: { siteId: hotel.id, kind: "fias", fiasHost: "10.0.0.66", fiasPort: 5010 } },
      });
      expect(refused.status()).toBe(403);
    } finally {
      await viewerPage.close();
    }
  } finally {
    await device.close();
    // The connector goes first, so that the worker stops reconnecting to a stand-in that is gone.
    await callApi(page.request, "pms.delete", { siteId: hotel.id }).catch(() => {});
    await pms.close();
  }
});

test("a viewer never sees a cloud PMS's webhook secret; the owner sees it once", async ({
  page,
  browser,
}, testInfo) => {
  const run = Date.now().toString(36).toUpperCase();
  await signIn(page, adminAccount());
  const platform = await homeDomain(page.request);
  const hotel = await callApi<{ id: string }>(page.request, "domains.create", {
    parentId: platform.id,
    name: `Hôtel Sirocco ${run}`,
    kind: "hotel",
  });
  await page.goto(`/sites/pms?domain=${hotel.id}`);
  const form = page.getByRole("form", { name: "Property-management system" });
  await form.getByLabel("PMS", { exact: true }).selectOption("mews");
  await form.getByLabel("PMS API address").fill("https://api.mews-demo.example");
  await form.getByLabel("Client token").fill("client-token-e2e");
  await form.getByLabel("Access token or API key").fill("access-token-e2e");
  await form.getByRole("button", { name: "Save" }).click();
  const secret = (await page.getByTestId("pms-secret").locator("code").innerText()).trim();
  expect(secret).toMatch(/^pms_/);
  await expect(page.getByTestId("pms-webhook-url")).toContainText(`/api/pms/`);
  await page.reload();
  await expect(page.getByTestId("pms-secret")).toHaveCount(0);
  expect(await page.content()).not.toContain(secret);

  const viewer = { email: uniqueEmail("pms-cloud-viewer"), password: "pms-viewer-password-2" };
  await callApi(page.request, "users.invite", { ...viewer, tenantId: hotel.id, role: "viewer" });
  const viewerPage = await browser.newPage({ baseURL: testInfo.project.use.baseURL });
  try {
    await signIn(viewerPage, viewer);
    await viewerPage.goto(`/sites/pms?domain=${hotel.id}`);
    await expect(viewerPage.getByTestId("pms-state")).toHaveText("Receiving webhooks");
    const answer = await viewerPage.request.get(
      `/api/trpc/pms.get?input=${encodeURIComponent(JSON.stringify({ json: { siteId: hotel.id } }))}`,
    );
    const text = await answer.text();
    expect(answer.ok()).toBe(true);
    for (const hidden of [secret, "client-token-e2e", "access-token-e2e"]) expect(text).not.toContain(hidden);
    expect(await viewerPage.content()).not.toContain(secret);
    await expect(viewerPage.getByRole("button", { name: "Make a new secret…" })).toHaveCount(0);
  } finally {
    await viewerPage.close();
  }
});
