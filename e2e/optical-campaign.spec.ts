import { Readable } from "node:stream";
import { loadMonitoringMappings, recordSamples, uploadFirmware } from "@beacon/domain";
import { createSimulatedDevice } from "@beacon/sim";
import { expect, test } from "@playwright/test";
import { adminAccount, callApi, signIn } from "./fixtures/console";
import { seedIntegrator, withSeedDb } from "./fixtures/seed";

const RX = "InternetGatewayDevice.WANDevice.1.X_GponInterafceConfig.RXPower";

// An EG8145V5-like simulated ONT enrols over CWMP; at its next Inform Beacon learns where it keeps its optical
// readings and records them, with no profile and no manual refresh. Its page charts the received power against the
// GPON class B+ band (-27 to -8 dBm).
test("an ONT's optical chart shows its readings with the class B+ band", async ({ page }, testInfo) => {
  const serialNumber = `E2EOPT${Date.now().toString(36).toUpperCase()}`;
  const device = createSimulatedDevice({
    model: "beacon-ont-eg8145v5",
    acsUrl: `http://127.0.0.1:${process.env.BEACON_E2E_CWMP_PORT}/`,
    serialNumber,
    username: "beacon",
    password: "beacon",
    timing: { timeScale: 0.01 },
  });
  try {
    expect((await device.inform()).outcome).toBe("completed");
    // The second session (on the device's own credentials) reads its tree once and records the readings.
    const second = await device.inform();
    expect(second.rpcs).toEqual(expect.arrayContaining(["GetParameterNames", "GetParameterValues"]));
    const deviceId = await withSeedDb(async (db) => {
      const row = await db.device.findFirstOrThrow({ where: { serialNumber }, select: { id: true } });
      await expect
        .poll(async () => (await db.deviceMetric.findMany({ where: { deviceId: row.id } })).map((m) => m.metric).sort())
        .toEqual(
          expect.arrayContaining(["device.uptime", "optical.rxPower", "optical.temperature", "optical.txPower"]),
        );
      // Earlier readings of the same fibre, as the scheduler would have brought them over the last hours.
      const mappings = loadMonitoringMappings();
      for (const [hoursAgo, dBm] of [
        [5, "-21"],
        [4, "-22"],
        [3, "-21"],
      ] as const) {
        await recordSamples(db, row.id, [{ name: RX, value: dBm }], {
          at: new Date(Date.now() - hoursAgo * 3_600_000),
          mappings,
        });
      }
      return row.id;
    });

    await signIn(page, adminAccount());
    await page.goto(`/devices/${deviceId}`);
    const optical = page.locator('[data-metric="optical.rxPower"]');
    await expect(optical).toContainText(/Received optical power: -2\d(\.\d+)? dBm/);
    const chart = optical.locator('figure[data-chart="time-series"]');
    await expect(chart).toBeVisible();
    expect(Number(await chart.getAttribute("data-readings"))).toBeGreaterThanOrEqual(2);
    // The band and its limits, and a line through the readings.
    await expect(chart.locator(".recharts-reference-area")).toHaveCount(1);
    await expect(chart).toContainText("GPON class B+ (−27 to −8 dBm)");
    await expect(chart.locator(".recharts-line-curve")).toHaveCount(1);
    await expect(page.locator('[data-metric="wifi.clients"]')).toContainText("WiFi clients: 1 client");
    // The time axis is labelled in the viewer's zone (Europe/Paris here) and language, over 24 hours, oldest first.
    const ticks = (await chart.locator(".recharts-cartesian-axis-tick-value").allTextContents())
      .map((text) => text.trim())
      .filter((text) => /^\d{2}:\d{2} [AP]M$/.test(text));
    expect(ticks.length).toBeGreaterThan(2);
    const paris = new Intl.DateTimeFormat("en-US", { hour: "2-digit", minute: "2-digit", timeZone: "Europe/Paris" });
    const quarter = 15 * 60_000;
    const end = Math.ceil(Date.now() / quarter) * quarter;
    // (The page may have asked just before a quarter-hour turned.)
    const startsAt = [end, end - quarter].map((e) =>
      [e - 24 * 3_600_000, e - 20 * 3_600_000].map((t) => paris.format(t)),
    );
    expect(startsAt).toContainEqual(ticks.slice(0, 2));
    await page.screenshot({ path: testInfo.outputPath("device-optical-en.png"), fullPage: true });
    // Hovering the chart shows the values of the moment.
    // Four hours ago, on the plot (right of the 44 px value axis, left of the 12 px margin).
    await chart.scrollIntoViewIfNeeded();
    const box = (await chart.locator(".recharts-surface").boundingBox())!;
    const plotLeft = box.x + 44;
    const plotWidth = box.width - 44 - 12;
    // The readings of 5, 4 and 3 hours ago sit in 15-minute buckets: sweep across them until one is under the mouse.
    const tooltip = chart.locator(".recharts-tooltip-wrapper");
    await expect
      .poll(async () => {
        for (let quarter = 19 * 4; quarter <= 21 * 4; quarter++) {
          await page.mouse.move(plotLeft + (plotWidth * quarter) / 96, box.y + box.height / 2, { steps: 2 });
          const text = (await tooltip.textContent()) ?? "";
          if (text.includes("dBm")) return text;
        }
        return "";
      })
      .toMatch(/^[A-Z][a-z]{2} \d+, \d{4}, \d+:\d{2} [AP]M.*-2\d(\.\d+)? dBm/);
  } finally {
    await device.close();
  }
});

// An integrator with two hotels starts a campaign for one of them: nothing starts before the dialog that names
// what will happen is confirmed, the night window is proposed for hotels, and only that hotel's devices are touched.
test("a campaign cannot start without confirmation and targets one hotel only", async ({ page }, testInfo) => {
  const run = Date.now().toString(36).toUpperCase();
  const seeded = await seedIntegrator(`fw${run}`, 0);
  const productClass = `E2EHOT${run}`;
  const { hotelA, hotelB } = await withSeedDb(async (db) => {
    const { createTenant } = await import("@beacon/domain");
    const hotelA = await createTenant(db, {
      name: `Hotel Alpha ${run}`,
      kind: "hotel",
      parentId: seeded.domain.id,
      timeZone: "Europe/Paris",
    });
    const hotelB = await createTenant(db, {
      name: `Hotel Bravo ${run}`,
      kind: "hotel",
      parentId: seeded.domain.id,
      timeZone: "Europe/Paris",
    });
    for (const [hotel, letter] of [
      [hotelA, "A"],
      [hotelB, "B"],
    ] as const) {
      await db.device.createMany({
        data: [1, 2, 3].map((n) => ({
          tenantId: hotel.id,
          oui: "00BEAC",
          productClass,
          serialNumber: `${productClass}${letter}${n}`,
          manufacturer: "Beacon Sim",
          softwareVersion: "V1",
          dataModelRoot: "InternetGatewayDevice",
          lastInformAt: new Date(),
        })),
      });
    }
    await uploadFirmware(
      db,
      process.env.BEACON_E2E_DATA_DIR!,
      {
        tenantId: seeded.domain.id,
        name: `${productClass}-V2.bin`,
        content: Readable.from([Buffer.from("image V2")]),
        vendor: "Beacon Sim",
        productClasses: [productClass],
        version: "V2",
      },
      { label: "e2e-seed" },
    );
    return { hotelA, hotelB };
  });

  await signIn(page, seeded.owner);
  // The API refuses a start that nobody confirmed.
  const file = await withSeedDb((db) => db.file.findFirstOrThrow({ where: { name: `${productClass}-V2.bin` } }));
  await expect(
    callApi(page.request, "firmware.create", {
      tenantId: seeded.domain.id,
      name: "Unconfirmed",
      fileId: file.id,
      productClass,
    }),
  ).rejects.toThrow(/400|confirmedDevices/);

  await page.goto(`/firmware/campaigns/new?domain=${seeded.domain.id}`);
  const form = page.getByRole("form", { name: "New firmware campaign" });
  await form.getByLabel("Image").selectOption({ label: `${productClass}-V2.bin (V2)` });
  await form.getByRole("group", { name: "Sites" }).getByLabel(hotelA.name).check();
  // Both sites are hotels: the night window is on by default.
  await expect(form.getByLabel(/Start devices only between two times/)).toBeChecked();
  await form.getByRole("button", { name: "Review campaign" }).click();
  const dialog = page.getByRole("dialog", { name: "Upgrade 3 devices to V2?" });
  await expect(dialog).toContainText(`${hotelA.name}: 3 devices`);
  await expect(dialog).not.toContainText(hotelB.name);
  await expect(dialog).toContainText("02:00–05:00, each site's local time");
  await expect(dialog).toContainText("The first wave is 1 device");
  await page.screenshot({ path: testInfo.outputPath("campaign-confirm-en.png"), fullPage: true });
  // Cancelling starts nothing.
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  expect(await withSeedDb((db) => db.firmwareCampaign.count({ where: { fileId: file.id } }))).toBe(0);

  await form.getByRole("button", { name: "Review campaign" }).click();
  await page
    .getByRole("dialog", { name: "Upgrade 3 devices to V2?" })
    .getByRole("button", { name: "Start the campaign on 3 devices" })
    .click();
  await expect(page.getByRole("heading", { name: `${productClass} to V2`, level: 1 })).toBeVisible({
    timeout: 20_000,
  });
  const touched = await withSeedDb(async (db) => {
    const rows = await db.firmwareCampaignDevice.findMany({
      where: { campaign: { fileId: file.id } },
      select: { device: { select: { tenantId: true } } },
    });
    const tasks = await db.task.count({ where: { kind: "download", tenantId: hotelB.id } });
    return { tenants: [...new Set(rows.map((r) => r.device.tenantId))], count: rows.length, tasksInB: tasks };
  });
  expect(touched).toEqual({ tenants: [hotelA.id], count: 3, tasksInB: 0 });
  await page.screenshot({ path: testInfo.outputPath("campaign-page-en.png"), fullPage: true });

  // The same page in French, for the owner who reads French.
  await withSeedDb((db) =>
    db.user.updateMany({
      where: { email: { equals: seeded.owner.email, mode: "insensitive" } },
      data: { locale: "fr" },
    }),
  );
  await page.goto(`/firmware/campaigns/new?domain=${seeded.domain.id}`);
  await page.getByRole("form", { name: "Nouvelle campagne de mise à jour" }).waitFor();
  await page.screenshot({ path: testInfo.outputPath("campaign-new-fr.png"), fullPage: true });
});
