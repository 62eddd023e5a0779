import { createSimulatedDevice } from "@beacon/sim";
import { expect, test } from "@playwright/test";
import { adminAccount, callApi, homeDomain, signedInPage, signIn, uniqueEmail } from "./fixtures/console";

const acsUrl = () => `http://127.0.0.1:${process.env.BEACON_E2E_CWMP_PORT}/`;

interface Grid {
  otherRooms: { id: string; number: string }[];
}

test('support types "103" and finds room 103 and the device …0103; the device page shows room, site, the grid link, and a masked passphrase', async ({
  page,
  browser,
}, testInfo) => {
  test.setTimeout(180_000);
  const run = Date.now().toString(36).toUpperCase().replace(/103/g, "X");
  const hotelName = `Hotel Sirocco ${run}`;
  const inRoom = `E2EROOM${run}`;
  const serial0103 = `HWTC${run}0103`;
  await signIn(page, adminAccount());
  const platform = await homeDomain(page.request);
  const hotel = await callApi<{ id: string }>(page.request, "domains.create", {
    parentId: platform.id,
    name: hotelName,
    kind: "hotel",
  });
  await callApi(page.request, "sites.createRoomRange", { siteId: hotel.id, from: 101, to: 105 });
  const grid = await callApi<Grid>(page.request, "sites.grid", { siteId: hotel.id }, "query");
  const roomId = (number: string) => grid.otherRooms.find((r) => r.number === number)?.id;
  await callApi(page.request, "provisioning.preRegister", {
    place: { roomId: roomId("103") },
    serialNumber: inRoom,
    replace: false,
  });
  await callApi(page.request, "provisioning.preRegister", {
    place: { roomId: roomId("105") },
    serialNumber: serial0103,
    replace: false,
  });
  const devices = [inRoom, serial0103].map((serialNumber) =>
    createSimulatedDevice({
      model: "beacon-onu-tr098",
      acsUrl: acsUrl(),
      serialNumber,
      username: "beacon",
      password: "beacon",
    }),
  );
  try {
    for (const device of devices) {
      // Its own credentials first, then (at the session made with them) its room.
      expect((await device.inform()).outcome).toBe("completed");
      expect((await device.inform()).outcome).toBe("completed");
    }
    // The front desk checked room 103 out once: the room has a guest passphrase.
    const checkout = await callApi<{ passphrase: string | null }>(page.request, "checkout.room", {
      roomId: roomId("103"),
    });
    const passphrase = checkout.passphrase ?? "";
    expect(passphrase.length).toBeGreaterThan(5);

    const support = { email: uniqueEmail("support"), password: "Hotel-support-e2e-2026" };
    const viewer = { email: uniqueEmail("viewer"), password: "Hotel-viewer-e2e-2026" };
    await callApi(page.request, "users.invite", { ...support, tenantId: hotel.id, role: "support" });
    await callApi(page.request, "users.invite", { ...viewer, tenantId: hotel.id, role: "viewer" });

    // Support types what the guest reads out, in the header's search, from any page.
    const supportPage = await signedInPage(browser, testInfo, support);
    await supportPage.goto("/");
    const search = supportPage.getByRole("searchbox", { name: "Find a room or device" });
    await search.fill("103");
    await search.press("Enter");
    await expect(supportPage).toHaveURL(/\/devices\?.*q=103/);
    const roomRow = supportPage.getByRole("row").filter({ hasText: inRoom });
    const serialRow = supportPage.getByRole("row").filter({ hasText: serial0103 });
    await expect(roomRow).toContainText("Room 103");
    await expect(serialRow).toContainText("Room 105");
    await expect(supportPage.locator("tbody tr")).toHaveCount(2);
    await supportPage.screenshot({ path: testInfo.outputPath("support-search-103.png"), fullPage: true });

    // The device page: its room, its site, the room grid one click away, the passphrase masked for support.
    await roomRow.getByRole("link", { name: inRoom }).click();
    await expect(supportPage.getByRole("heading", { name: inRoom })).toBeVisible();
    const home = supportPage.getByRole("region", { name: "Room 103" });
    await expect(home).toContainText(hotelName);
    await expect(home.getByTestId("room-passphrase")).toHaveText("••••");
    await expect(home.getByRole("button", { name: /Reveal/ })).toHaveCount(0);
    await expect(supportPage.getByText(passphrase)).toHaveCount(0);
    await supportPage.screenshot({ path: testInfo.outputPath("device-page-room.png"), fullPage: true });
    const gridLink = home.getByRole("link", { name: `Open the room grid of ${hotelName}` });
    expect(await gridLink.getAttribute("href")).toBe(`/sites?domain=${hotel.id}`);
    await gridLink.click();
    await expect(supportPage.getByRole("heading", { name: `Rooms of ${hotelName}` })).toBeVisible();
    await expect(supportPage.locator('li[data-room="103"]')).toContainText(inRoom);

    // A viewer sees the room and •••• where the passphrase is, and no way to reveal it.
    const viewerPage = await signedInPage(browser, testInfo, viewer);
    await viewerPage.goto(`/devices?domain=${hotel.id}&q=103`);
    await viewerPage.getByRole("row").filter({ hasText: inRoom }).getByRole("link", { name: inRoom }).click();
    const viewerHome = viewerPage.getByRole("region", { name: "Room 103" });
    await expect(viewerHome).toBeVisible();
    const devicePageUrl = viewerPage.url();
    await expect(viewerHome.getByTestId("room-passphrase")).toHaveText("••••");
    await expect(viewerHome.getByRole("button", { name: /Reveal/ })).toHaveCount(0);
    await expect(viewerPage.getByText(passphrase)).toHaveCount(0);
    await viewerPage.screenshot({ path: testInfo.outputPath("viewer-room-masked.png"), fullPage: true });

    // The same page in French, for a viewer who chose French: the room, its site, still ••••.
    await callApi(viewerPage.request, "session.setLocale", { locale: "fr" });
    await viewerPage.reload();
    const frenchHome = viewerPage.getByRole("region", { name: "Chambre 103" });
    await expect(frenchHome.getByRole("link", { name: `Ouvrir la grille des chambres de ${hotelName}` })).toBeVisible();
    await expect(frenchHome.getByTestId("room-passphrase")).toHaveText("••••");
    await expect(frenchHome.getByRole("button", { name: /Afficher/ })).toHaveCount(0);
    await viewerPage.goto(`/devices?domain=${hotel.id}&q=103`);
    await expect(viewerPage.getByRole("row").filter({ hasText: inRoom })).toContainText("Chambre 103");
    await viewerPage.screenshot({ path: testInfo.outputPath("viewer-search-fr.png"), fullPage: true });

    // The platform admin (an operator's permissions and more) may reveal it; the reveal is audited.
    await page.goto(devicePageUrl);
    const adminHome = page.getByRole("region", { name: "Room 103" });
    await adminHome.getByRole("button", { name: "Reveal the passphrase of room 103" }).click();
    await expect(adminHome.getByTestId("room-passphrase")).toHaveText(passphrase);
    const audit = await callApi<{ rows: unknown[] }>(
      page.request,
      "audit.list",
      { tenantId: hotel.id, action: "room.revealPassphrase" },
      "query",
    );
    expect(audit.rows).toHaveLength(1);
    expect(JSON.stringify(audit.rows)).not.toContain(passphrase);
  } finally {
    for (const device of devices) await device.close();
  }
});

test("an integrator sees each customer site with its own counts on cards that are links carrying the site", async ({
  page,
  browser,
}, testInfo) => {
  const run = Date.now().toString(36).toUpperCase();
  await signIn(page, adminAccount());
  const platform = await homeDomain(page.request);
  const integrator = await callApi<{ id: string }>(page.request, "domains.create", {
    parentId: platform.id,
    name: `Integrator Mistral ${run}`,
    kind: "integrator",
  });
  const sites: { id: string; name: string }[] = [];
  for (const name of [`Hotel Levant ${run}`, `Hotel Ponant ${run}`]) {
    const site = await callApi<{ id: string }>(page.request, "domains.create", {
      parentId: integrator.id,
      name,
      kind: "hotel",
    });
    sites.push({ id: site.id, name });
  }
  const owner = { email: uniqueEmail("integrator"), password: "Integrator-e2e-2026" };
  await callApi(page.request, "users.invite", { ...owner, tenantId: integrator.id, role: "owner" });
  const integratorPage = await signedInPage(browser, testInfo, owner);

  for (const path of ["/", "/sites"]) {
    await integratorPage.goto(path);
    for (const site of sites) {
      const card = integratorPage.getByRole("link", { name: new RegExp(`^${site.name}: 0 online, 0 offline`) });
      await expect(card).toBeVisible();
      // A real link with the site in its address: it opens in a new tab, and the console there shows that site.
      expect(await card.getAttribute("href")).toBe(`/sites?domain=${site.id}`);
    }
  }
  await integratorPage.screenshot({ path: testInfo.outputPath("integrator-sites.png"), fullPage: true });
  const [tab] = await Promise.all([
    integratorPage.context().waitForEvent("page"),
    integratorPage.getByRole("link", { name: new RegExp(`^${sites[0]!.name}:`) }).click({ modifiers: ["Control"] }),
  ]);
  await expect(tab.getByRole("heading", { name: `Rooms of ${sites[0]!.name}` })).toBeVisible();
  // The first tab still shows the integrator's sites: nothing switched behind its back.
  await expect(integratorPage.getByRole("heading", { name: "Sites", exact: true }).first()).toBeVisible();
});
