import { createSimulatedDevice } from "@beacon/sim";
import { expect, test } from "@playwright/test";
import { adminAccount, callApi, homeDomain } from "./fixtures/console";

// The hotel flow with a French browser (Accept-Language: fr): the console speaks French from the sign-in page on,
// the hotel's owner picks French and English for the guest card, and the card prints both side by side.
test.use({ locale: "fr-FR" });

test("a French hotel imports its rooms, its ONU provisions itself, and a checkout prints a French and English card", async ({
  page,
}, testInfo) => {
  test.setTimeout(180_000);
  const run = Date.now().toString(36).toUpperCase();
  const serialNumber = `E2EFR${run}`;
  const account = adminAccount();

  await page.goto("/signin");
  await expect(page.getByRole("heading", { name: "Connexion" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "fr");
  await page.getByLabel("E-mail").fill(account.email);
  await page.getByLabel("Mot de passe").fill("not the password");
  await page.getByRole("button", { name: "Se connecter" }).click();
  await expect(page.getByRole("form", { name: "Connexion" }).getByRole("alert")).toHaveText(
    "L’e-mail ou le mot de passe n’est pas le bon.",
    { timeout: 10_000 },
  );
  await page.getByLabel("Mot de passe").fill(account.password);
  await page.getByRole("button", { name: "Se connecter" }).click();
  await expect(page.getByRole("button", { name: "Se déconnecter" })).toBeVisible({ timeout: 20_000 });
  const nav = page.getByRole("navigation", { name: "Principal" });
  await expect(nav.getByRole("link", { name: "Tableau de bord" })).toBeVisible();

  const platform = await homeDomain(page.request);
  const hotelName = `Hôtel Azur ${run}`;
  const hotel = await callApi<{ id: string }>(page.request, "domains.create", {
    parentId: platform.id,
    name: hotelName,
    kind: "hotel",
  });

  // The hotel's languages, set on the domains page: French for its people, French and English on the card.
  await page.goto(`/domains?domain=${hotel.id}`);
  const languages = page.getByRole("form", { name: `Langues de ${hotelName}` });
  await languages.getByLabel("Langue de la console").selectOption("fr");
  await languages.getByLabel("Français").check();
  await languages.getByLabel("English").check();
  await languages.getByRole("button", { name: "Enregistrer les langues" }).click();
  await expect(languages.getByText(`Les langues de ${hotelName} sont enregistrées.`)).toBeVisible();

  // Rooms from a spreadsheet: the dry run and the import speak French, with French plurals.
  await page.goto(`/sites?domain=${hotel.id}`);
  await page.getByRole("button", { name: /Import spreadsheet|Importer/ }).click();
  await page
    .getByLabel("Chambres (CSV)")
    .fill(["room,floor,serial", `101,1,${serialNumber}`, "102,1,", "201,2,"].join("\n"));
  await page.getByRole("button", { name: "Vérifier le fichier (essai)" }).click();
  const dryRun = page.getByRole("region", { name: "Essai" });
  await expect(dryRun).toContainText("Essai, rien n’a encore changé");
  await page.getByRole("button", { name: "Importer 3 lignes correctes" }).click();
  await expect(
    page.getByText("Importé. 3 nouvelles chambres, 2 nouveaux étages, 1 appareil enregistré."),
  ).toBeVisible();
  await page.getByRole("button", { name: /Close|Fermer/ }).click();

  const room = (number: string) => page.locator(`li[data-room="${number}"]`);
  const floor1 = page.getByRole("region", { name: "Étage 1" });
  await expect(floor1).toContainText("2 chambres");
  await expect(page.getByRole("region", { name: "Étage 2" })).toContainText("1 chambre");
  await expect(room("101")).toContainText("En attente de son appareil");
  await expect(page.getByRole("list", { name: "Légende" })).toContainText("Non provisionnée");

  const device = createSimulatedDevice({
    model: "beacon-onu-tr098",
    acsUrl: `http://127.0.0.1:${process.env.BEACON_E2E_CWMP_PORT}/`,
    serialNumber,
    username: "beacon",
    password: "beacon",
  });
  try {
    expect((await device.inform()).outcome).toBe("completed");
    expect((await device.inform()).outcome).toBe("completed");
    await expect(room("101")).toHaveAttribute("data-state", "online");
    await expect(room("101")).toContainText("En ligne");

    await room("101").getByRole("button", { name: "Départ de la chambre 101" }).click();
    const confirm = page.getByRole("dialog", { name: "Réinitialiser le WiFi de la chambre 101 ?" });
    await expect(confirm.getByText("Les appareils du client seront déconnectés.", { exact: false })).toBeVisible();
    await confirm.getByRole("button", { name: "Valider le départ", exact: true }).click();

    const done = page.getByRole("dialog", { name: "Départ de la chambre 101 effectué" });
    const passphrase = (await done.locator("output").innerText()).trim();
    expect(passphrase).toMatch(/^[\x20-\x7e]{8,63}$/);
    await expect(done.getByText("En attente", { exact: true })).toBeVisible();

    await page.evaluate(() => {
      window.print = () => {};
    });
    await done.getByRole("button", { name: "Imprimer la carte" }).click();
    await page.emulateMedia({ media: "print" });
    const card = page.locator(".beacon-wifi-card");
    await expect(card).toBeVisible();
    await expect(card).toHaveAttribute("data-card-locales", "fr,en");
    await expect(card).toContainText("Chambre / Room 101");
    await expect(card).toContainText("Réseau WiFi / WiFi network");
    await expect(card).toContainText("Mot de passe / Password");
    await expect(card).toContainText(passphrase);
    await expect(card).toContainText(/Émise le .+ \/ Issued /);
    await testInfo.attach("guest-card-fr-en.png", { body: await page.screenshot(), contentType: "image/png" });
    await page.emulateMedia({ media: "screen" });
    await done.getByRole("button", { name: "Fermer" }).click();

    await expect(room("101")).toContainText("Départ en cours");
    const checkoutRow = page.locator('tr[data-checkout-room="101"]');
    await expect(checkoutRow).toContainText("En attente");

    const checkedOut = await device.inform();
    expect(checkedOut.outcome).toBe("completed");
    await expect(room("101")).toHaveAttribute("data-state", "online", { timeout: 15_000 });
    await expect(checkoutRow).toContainText("Terminé", { timeout: 15_000 });
    expect(device.get("InternetGatewayDevice.LANDevice.1.WLANConfiguration.1.KeyPassphrase")).toBe(passphrase);
    await testInfo.attach("room-grid-fr.png", {
      body: await page.screenshot({ fullPage: true }),
      contentType: "image/png",
    });
  } finally {
    await device.close();
  }

  // A person's own choice comes before the domain's and the browser's: English, then back to automatic.
  const language = page.getByRole("combobox", { name: "Langue" });
  await language.selectOption("en");
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Dashboard" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await page.getByRole("combobox", { name: "Language" }).selectOption("auto");
  await expect(nav.getByRole("link", { name: "Tableau de bord" })).toBeVisible();
});
