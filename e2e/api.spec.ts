import { expect, request, test } from "@playwright/test";
import { signIn } from "./fixtures/console.ts";
import { type SeededIntegrator, seedIntegrator } from "./fixtures/seed.ts";

/**
 * An integrator's owner creates an API token in the console, a program uses it through the REST API, and the
 * owner revokes it: the program's next call is refused.
 */
test.describe.configure({ mode: "serial" });

const run = `api${Date.now().toString(36)}`;
let integrator: SeededIntegrator;

test.beforeAll(async () => {
  integrator = await seedIntegrator(run, 2);
});

test("a token created in the console works in the REST API until it is revoked", async ({ page, baseURL }) => {
  await signIn(page, integrator.owner);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "API & webhooks" }).click();
  await expect(page.getByRole("heading", { name: "API & webhooks" })).toBeVisible();

  await page.getByLabel("Name", { exact: true }).fill("Front desk PMS");
  await page.getByLabel("Role").selectOption("support");
  await page.getByRole("button", { name: "Create token" }).click();
  const shown = page.getByRole("status").filter({ hasText: "Front desk PMS" });
  await expect(shown).toContainText("Beacon does not show it again");
  const token = (await shown.locator("code").first().textContent())?.trim() ?? "";
  expect(token).toMatch(/^bcn_[0-9a-f]{8}_/);
  await shown.getByRole("button", { name: "I have stored it" }).click();
  await expect(page.getByRole("row", { name: /Front desk PMS/ })).toContainText("active");

  const program = await request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${token}` } });
  const devices = await program.get("/api/v1/devices?pageSize=10");
  expect(devices.status()).toBe(200);
  const page1 = (await devices.json()) as { total: number; rows: { id: string; serialNumber: string }[] };
  expect(page1.total).toBe(2);
  const reboot = await program.post(`/api/v1/devices/${integrator.devices[0]!.id}/tasks`, { data: { kind: "reboot" } });
  expect(reboot.status()).toBe(201);
  const anonymous = await request.newContext({ baseURL });
  expect((await anonymous.get("/api/v1/openapi.json")).status()).toBe(200);
  expect((await anonymous.get("/api/v1/devices")).status()).toBe(401);

  await page
    .getByRole("row", { name: /Front desk PMS/ })
    .getByRole("button", { name: "Revoke" })
    .click();
  await page.getByRole("dialog").getByRole("button", { name: "Revoke token" }).click();
  await expect(page.getByRole("row", { name: /Front desk PMS/ })).toContainText("revoked");
  const refused = await program.get("/api/v1/token");
  expect(refused.status()).toBe(401);
  expect(((await refused.json()) as { detail: string }).detail).toMatch(/revoked/);

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit log" }).click();
  await expect(page.getByRole("main")).toContainText(`token:${token.split("_").slice(0, 2).join("_")}`);
  await program.dispose();
  await anonymous.dispose();
});

test("a webhook's signing secret is shown once and its test message appears in the delivery log", async ({ page }) => {
  await signIn(page, integrator.owner);
  await page.goto(`/settings/api?domain=${integrator.domain.id}`);
  await page.getByLabel("Endpoint URL").fill("https://pms.example.com/beacon-hooks");
  await page.getByRole("checkbox", { name: /^checkout\.done / }).check();
  await page.getByRole("checkbox", { name: /^device\.offline / }).check();
  await page.getByRole("button", { name: "Add webhook" }).click();
  const shown = page.getByRole("status").filter({ hasText: "Signing secret" });
  await expect(shown.locator("code").first()).toHaveText(/^whsec_/);
  await shown.getByRole("button", { name: "I have stored it" }).click();
  const item = page.getByRole("listitem").filter({ hasText: "https://pms.example.com/beacon-hooks" });
  await expect(item).toContainText("checkout.done");
  await item.getByRole("button", { name: "Send test message" }).click();
  await expect(item).toContainText("webhook.test");
  const path = test.info().outputPath("api-and-webhooks.png");
  await page.screenshot({ path, fullPage: true });
  await test.info().attach("API & webhooks", { path, contentType: "image/png" });
});
