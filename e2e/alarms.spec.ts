import { loadMonitoringMappings, onParameterValues } from "@beacon/domain";
import { expect, test } from "@playwright/test";
import { signIn } from "./fixtures/console";
import { seedIntegrator, withSeedDb } from "./fixtures/seed";

const RX = "InternetGatewayDevice.WANDevice.1.X_GponInterafceConfig.RXPower";

test("an ONT whose optical level drops below -27 dBm raises a critical alarm that an owner acknowledges", async ({
  page,
}) => {
  const run = Date.now().toString(36).toUpperCase();
  const seeded = await seedIntegrator(run, 1);
  const serialNumber = `E2EONT${run}`;
  await withSeedDb(async (db) => {
    const ont = await db.device.create({
      data: {
        tenantId: seeded.domain.id,
        serialNumber,
        oui: "00259E",
        productClass: "EG8145V5",
        manufacturer: "Huawei Technologies Co., Ltd",
        dataModelRoot: "InternetGatewayDevice",
        periodicInformInterval: 3600,
        lastInformAt: new Date(),
        firstInformAt: new Date(),
      },
    });
    // What the session hook does when an Inform carries the reading.
    await onParameterValues(db, ont.id, [{ name: RX, value: "-28" }], { mappings: loadMonitoringMappings() });
  });

  await signIn(page, seeded.owner);
  await page.goto(`/alarms?domain=${seeded.domain.id}`);
  await expect(page.getByRole("heading", { name: "Alarms", exact: true })).toBeVisible();
  const row = page.getByRole("row").filter({ hasText: serialNumber });
  await expect(row).toContainText("Critical");
  await expect(row).toContainText("Low optical level");
  await expect(row).toContainText("low optical level: -28 dBm, below -27 dBm");
  await expect(row).toContainText("Open");

  await row.getByRole("button", { name: "Acknowledge" }).click();
  const dialog = page.getByRole("dialog", { name: "Acknowledge this alarm?" });
  await expect(dialog).toContainText(serialNumber);
  await dialog.getByRole("button", { name: "Acknowledge" }).click();
  await expect(dialog).toHaveCount(0);
  await expect(row).toContainText(`Acknowledged by ${seeded.owner.email.toLowerCase()}`);
  await expect(row.getByRole("button", { name: "Acknowledge" })).toHaveCount(0);

  // Open alarms only: the acknowledged one is no longer among them.
  await page.getByLabel("State").selectOption("open");
  await expect(page.getByText("No alarm matches these filters.")).toBeVisible();
});
