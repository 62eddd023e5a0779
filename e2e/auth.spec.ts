import { expect, test } from "@playwright/test";
import {
  adminAccount,
  callApi,
  fillSignIn,
  homeDomain,
  signedInPage,
  signIn,
  signInMessage,
  uniqueEmail,
} from "./fixtures/console.ts";

const PASSWORD = "a-long-enough-password";

test.describe("signing in", () => {
  const wrongPasswordUser = { email: uniqueEmail("wrong-password"), password: PASSWORD };
  const slowedDownUser = { email: uniqueEmail("slowed-down"), password: PASSWORD };
  const guessedUser = { email: uniqueEmail("guessed"), password: PASSWORD };
  const disabledUser = { email: uniqueEmail("disabled"), password: PASSWORD };
  let disabledUserId = "";

  test.beforeAll(async ({ browser }, testInfo) => {
    // Failed attempts lock an account for a while, so they are made on accounts of their own, never the admin's.
    const page = await signedInPage(browser, testInfo, adminAccount());
    const home = await homeDomain(page.request);
    for (const account of [wrongPasswordUser, slowedDownUser, guessedUser]) {
      await callApi(page.request, "users.invite", { ...account, tenantId: home.id, role: "viewer" });
    }
    const invited = await callApi<{ id: string }>(page.request, "users.invite", {
      ...disabledUser,
      tenantId: home.id,
      role: "viewer",
    });
    disabledUserId = invited.id;
    await page.close();
  });

  test("the admin signs in and out", async ({ page }) => {
    await page.goto("/devices");
    await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fdevices$/);
    await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();

    await signIn(page, adminAccount());
    await expect(page).toHaveURL(/\/devices$/);
    await expect(page.getByRole("heading", { name: "Devices", level: 1 })).toBeVisible();
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav.getByRole("link", { name: "Devices" })).toHaveAttribute("aria-current", "page");

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/signin/);
    await page.goto("/");
    await expect(page).toHaveURL(/\/signin/);
    await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  });

  test("a wrong password gets a clear message", async ({ page }) => {
    await fillSignIn(page, wrongPasswordUser.email, "not-the-password");
    const alert = signInMessage(page);
    await expect(alert).toHaveText("The email or password is not right.", { timeout: 10_000 });
    await expect(alert).toBeFocused();
    await expect(page.getByLabel("Password")).toHaveValue("");

    await signIn(page, wrongPasswordUser);
  });

  test("repeated failures are slowed down", async ({ page }) => {
    for (let attempt = 1; attempt <= 2; attempt++) {
      await fillSignIn(page, slowedDownUser.email, `wrong-${attempt}-password`);
      await expect(signInMessage(page)).toHaveText("The email or password is not right.", { timeout: 10_000 });
    }
    await fillSignIn(page, slowedDownUser.email, "wrong-3-password");
    await expect(signInMessage(page)).toHaveText(/^Too many failed attempts\. Try again in \d+ seconds\.$/, {
      timeout: 10_000,
    });

    // While the account waits, even the right password is turned away.
    await fillSignIn(page, slowedDownUser.email, slowedDownUser.password);
    const alert = signInMessage(page);
    await expect(alert).toHaveText(/^Too many failed attempts\. Try again in \d+ seconds\.$/, { timeout: 10_000 });
    const seconds = Number((await alert.textContent())?.match(/(\d+) seconds/)?.[1]);
    expect(seconds).toBeGreaterThan(0);

    await page.waitForTimeout((seconds + 1) * 1000);
    await signIn(page, slowedDownUser);
  });

  test("a stranger guessing from another address does not lock the owner out", async ({ page, browser }, testInfo) => {
    // Beacon runs here without a reverse proxy, so the stranger's address is the one its requests claim.
    const stranger = await browser.newPage({
      baseURL: testInfo.project.use.baseURL,
      extraHTTPHeaders: { "X-Forwarded-For": "203.0.113.77" },
    });
    for (let attempt = 1; attempt <= 2; attempt++) {
      await fillSignIn(stranger, guessedUser.email, `guess-${attempt}-password`);
      await expect(signInMessage(stranger)).toHaveText("The email or password is not right.", { timeout: 10_000 });
    }
    await fillSignIn(stranger, guessedUser.email, "guess-3-password");
    await expect(signInMessage(stranger)).toHaveText(/^Too many failed attempts\. Try again in \d+ seconds\.$/, {
      timeout: 10_000,
    });
    await fillSignIn(stranger, guessedUser.email, guessedUser.password);
    await expect(signInMessage(stranger)).toHaveText(/^Too many failed attempts/, { timeout: 10_000 });
    await stranger.close();

    // The owner, at their own address, signs in at once.
    await signIn(page, guessedUser);
  });

  test("disabling an account ends its open session", async ({ page, browser }, testInfo) => {
    await signIn(page, disabledUser);
    const admin = await signedInPage(browser, testInfo, adminAccount());
    await callApi(admin.request, "users.setDisabled", { userId: disabledUserId, disabled: true });
    await admin.close();

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Devices" }).click();
    await expect(page).toHaveURL(/\/signin/);
    await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
    await fillSignIn(page, disabledUser.email, disabledUser.password);
    await expect(signInMessage(page)).toHaveText("This account is disabled. Ask an owner of your domain to enable it.");
  });
});
