import { createSimulatedDevice } from "@beacon/sim";
import { expect, test } from "@playwright/test";
import { adminAccount, signIn } from "./fixtures/console";
import { beaconCommand } from "./support/beacon-process";

const SSID = "InternetGatewayDevice.LANDevice.1.WLANConfiguration.1.SSID";

// The whole path: the console queues a task, the CWMP session runs it against a simulated device over real HTTP,
// and the console shows what came back.
test("a refresh through the CWMP session fills the device page, and a value set there reaches the device", async ({
  page,
}, testInfo) => {
  test.setTimeout(120_000);
  const serialNumber = `E2EDEV${Date.now()}`;
  const device = createSimulatedDevice({
    model: "beacon-onu-tr098",
    acsUrl: `http://127.0.0.1:${process.env.BEACON_E2E_CWMP_PORT}/`,
    serialNumber,
    username: "beacon",
    password: "beacon",
  });
  try {
    expect((await device.inform()).outcome).toBe("completed");
    const listed = await beaconCommand(["device", "list", "--json"], {
      BEACON_DATA_DIR: process.env.BEACON_E2E_DATA_DIR!,
    });
    const row = (JSON.parse(listed.stdout) as { id: string; serialNumber: string }[]).find(
      (d) => d.serialNumber === serialNumber,
    );
    expect(row).toBeDefined();

    await signIn(page, adminAccount());
    await page.goto(`/devices/${row!.id}`);
    await page.getByRole("button", { name: "Refresh all parameters" }).click();
    await expect(page.getByText(/Refresh queued/)).toBeVisible();
    expect((await device.inform()).rpcs).toEqual(["GetParameterNames", "GetParameterValues"]);

    await page.reload();
    await page.getByLabel("Search parameters").fill("WLANConfiguration.1.SSID");
    const matches = page.getByRole("list", { name: "Matching parameters" });
    await expect(matches.getByText(SSID, { exact: true })).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath("device-parameters.png"), fullPage: true });

    await page.getByRole("button", { name: `Change ${SSID}` }).click();
    await page.getByLabel("New value").fill("Beacon-E2E");
    await page.getByRole("button", { name: "Set value" }).click();
    await expect(page.getByText(/Change of .* queued/)).toBeVisible();
    expect((await device.inform()).rpcs).toEqual(["SetParameterValues"]);
    expect(device.get(SSID)).toBe("Beacon-E2E");

    await page.reload();
    await page.getByLabel("Search parameters").fill("WLANConfiguration.1.SSID");
    await expect(page.getByRole("list", { name: "Matching parameters" }).getByText("Beacon-E2E")).toBeVisible();
  } finally {
    await device.close();
  }
});
