import { connectWebSocketAgent, SimulatedUspAgent } from "@beacon/sim";
import { expect, test } from "@playwright/test";
import { adminAccount, signIn } from "./fixtures/console";

const SSID = "Device.WiFi.SSID.1.SSID";

// A USP agent beside the CWMP devices: it boots over WebSocket into `npm start`'s USP controller, its page says
// so, and a refresh and a Set from the browser reach it through the task queue.
test("a USP agent's page shows its protocol; a refresh and a Set from the browser reach the agent", async ({
  page,
}, testInfo) => {
  test.setTimeout(120_000);
  const serialNumber = `E2EUSP${Date.now()}`;
  const agent = new SimulatedUspAgent({
    endpointId: `os::00D09E-${serialNumber}`,
    controllerId: "proto::beacon-controller",
  });
  const connection = await connectWebSocketAgent(agent, {
    url: `ws://127.0.0.1:${process.env.BEACON_E2E_USP_PORT}/`,
    username: "beacon",
    password: "beacon",
  });
  try {
    agent.sendBoot();
    // Found as a person finds it, by its serial number in the device list (the first attempt of this spec polled
    // `beacon device list`, a fresh process per poll: on a loaded machine one poll alone could outlast the timeout).
    await signIn(page, adminAccount());
    const link = page.getByRole("link", { name: serialNumber, exact: true });
    await expect(async () => {
      await page.goto(`/devices?q=${serialNumber}`);
      await expect(link).toBeVisible({ timeout: 2_000 });
    }).toPass({ timeout: 60_000 });
    await link.click();
    await expect(page.getByText("USP (TR-369) over WebSocket")).toBeVisible();
    await expect(page.getByText(agent.endpointId)).toBeVisible();

    await page.getByRole("button", { name: "Refresh all parameters" }).click();
    await expect(page.getByText(/Refresh queued/)).toBeVisible();
    await expect
      .poll(
        () =>
          agent.received.some(
            (m) =>
              m.body?.msgBody.case === "request" &&
              m.body.msgBody.value.reqType.case === "get" &&
              (m.body.msgBody.value.reqType.value as { paramPaths: string[] }).paramPaths.includes("Device."),
          ),
        { timeout: 20_000 },
      )
      .toBe(true);

    // The search answers after the page has loaded: wait for its list, not a count taken at once.
    await expect(async () => {
      await page.reload();
      await page.getByLabel("Search parameters").fill("WiFi.SSID.1.SSID");
      await expect(
        page.getByRole("list", { name: "Matching parameters" }).getByText(SSID, { exact: true }),
      ).toBeVisible({ timeout: 3_000 });
    }).toPass({ timeout: 20_000 });
    await page.screenshot({ path: testInfo.outputPath("usp-device-parameters.png"), fullPage: true });

    await page.getByRole("button", { name: `Change ${SSID}` }).click();
    await page.getByLabel("New value").fill("Beacon-USP-E2E");
    await page.getByRole("button", { name: "Set value" }).click();
    await expect(page.getByText(/Change of .* queued/)).toBeVisible();
    await expect.poll(() => agent.store.read(SSID), { timeout: 20_000 }).toBe("Beacon-USP-E2E");

    await expect(async () => {
      await page.reload();
      await page.getByLabel("Search parameters").fill("WiFi.SSID.1.SSID");
      await expect(page.getByRole("list", { name: "Matching parameters" }).getByText("Beacon-USP-E2E")).toBeVisible({
        timeout: 3_000,
      });
    }).toPass({ timeout: 20_000 });
  } finally {
    connection.close();
  }
});
