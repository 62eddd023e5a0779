import { type Browser, expect, type Page, test } from "@playwright/test";
import { adminAccount, callApi, hotelWithOnu, signIn } from "./fixtures/console";

// Screenshots of the dashboard, a hotel's room grid, a device page and a firmware campaign page in English and in
// French, as test artifacts (attached to the report, never committed): what a reviewer looks at for wording.

interface World {
  hotelId: string;
  deviceId: string;
  campaignId: string;
}

/** A hotel with two rooms, an ONU online in room 101 and a campaign for its model: set up once, in English. */
async function setUp(page: Page): Promise<World> {
  const run = Date.now().toString(36).toUpperCase();
  const serialNumber = `E2ESHOT${run}`;
  await signIn(page, adminAccount());
  const { hotel, device } = await hotelWithOnu(page.request, {
    name: `Hotel Lumière ${run}`,
    from: 101,
    to: 104,
    serialNumber,
  });
  let deviceId: string | undefined;
  try {
    expect((await device.inform()).outcome).toBe("completed");
    expect((await device.inform()).outcome).toBe("completed");
    const after = await callApi<{ otherRooms: { number: string; device: { id: string } | null }[] }>(
      page.request,
      "sites.grid",
      { siteId: hotel.id },
      "query",
    );
    deviceId = after.otherRooms.find((r) => r.number === "101")?.device?.id;
  } finally {
    await device.close();
  }
  expect(deviceId).toBeTruthy();

  const baseURL = new URL(page.url()).origin;
  const query = new URLSearchParams({
    tenantId: hotel.id,
    name: `onu-${run}.bin`,
    vendor: "Beacon Sim",
    version: "2.0.0",
    productClasses: "SimONU-98",
  });
  const upload = await page.request.post(`/api/firmware?${query}`, {
    data: Buffer.from(`firmware image ${run}`),
    headers: { origin: baseURL, "content-type": "application/octet-stream" },
  });
  expect(upload.status(), await upload.text()).toBe(201);
  const image = (await upload.json()) as { id: string };
  const campaign = { tenantId: hotel.id, name: `ONU 2.0.0 ${run}`, fileId: image.id, productClass: "SimONU-98" };
  // A campaign starts only once its creator confirmed how many devices it targets (what the preview says).
  const preview = await callApi<{ devices: number }>(page.request, "firmware.preview", campaign);
  expect(preview.devices).toBe(1);
  const created = await callApi<{ campaign: { id: string } }>(page.request, "firmware.create", {
    ...campaign,
    confirmedDevices: preview.devices,
  });
  return { hotelId: hotel.id, deviceId: deviceId!, campaignId: created.campaign.id };
}

let world: World;

test.beforeAll(async ({ browser }) => {
  test.setTimeout(120_000);
  const page = await browser.newPage({ baseURL: test.info().project.use.baseURL });
  world = await setUp(page);
  await page.close();
});

const LANGUAGES = [
  { locale: "en-GB", lang: "en", email: "Email", password: "Password", submit: "Sign in", signOut: "Sign out" },
  {
    locale: "fr-FR",
    lang: "fr",
    email: "E-mail",
    password: "Mot de passe",
    submit: "Se connecter",
    signOut: "Se déconnecter",
  },
] as const;

async function pageIn(browser: Browser, language: (typeof LANGUAGES)[number]): Promise<Page> {
  const context = await browser.newContext({
    baseURL: test.info().project.use.baseURL,
    locale: language.locale,
    timezoneId: "Europe/Paris",
    viewport: { width: 1440, height: 900 },
  });
  const page = await context.newPage();
  const account = adminAccount();
  await page.goto("/signin");
  await page.getByLabel(language.email).fill(account.email);
  await page.getByLabel(language.password).fill(account.password);
  await page.getByRole("button", { name: language.submit }).click();
  await expect(page.getByRole("button", { name: language.signOut })).toBeVisible({ timeout: 20_000 });
  await expect(page.locator("html")).toHaveAttribute("lang", language.lang);
  return page;
}

for (const language of LANGUAGES) {
  test(`screenshots in ${language.lang}: dashboard, room grid, device page, firmware campaign`, async ({
    browser,
  }, testInfo) => {
    test.setTimeout(90_000);
    const page = await pageIn(browser, language);
    const shoot = async (name: string, path: string, ready: (page: Page) => Promise<void>) => {
      await page.goto(path);
      await ready(page);
      // Let polling and charts settle before the picture.
      await page.waitForLoadState("networkidle").catch(() => {});
      await testInfo.attach(`${name}-${language.lang}.png`, {
        body: await page.screenshot({ fullPage: true }),
        contentType: "image/png",
      });
    };
    const main = (p: Page) => p.locator("main#main");
    await shoot("dashboard", `/?domain=${world.hotelId}`, async (p) => {
      await expect(main(p).getByRole("heading").first()).toBeVisible();
    });
    await shoot("room-grid", `/sites?domain=${world.hotelId}`, async (p) => {
      await expect(p.locator('li[data-room="101"]')).toHaveAttribute("data-state", "online");
    });
    await shoot("device", `/devices/${world.deviceId}?domain=${world.hotelId}`, async (p) => {
      await expect(main(p).getByRole("heading").first()).toBeVisible();
    });
    await shoot("firmware-campaign", `/firmware/campaigns/${world.campaignId}?domain=${world.hotelId}`, async (p) => {
      await expect(main(p).getByRole("heading").first()).toBeVisible();
    });
    await page.context().close();
  });
}
