import { createSimulatedDevice } from "@beacon/sim";
import { expect, test } from "@playwright/test";
import { beaconCommand } from "./support/beacon-process";

// The suite's Beacon keeps its embedded PostgreSQL under BEACON_E2E_DATA_DIR; the CLI finds it there.
const cliEnv = () => ({ BEACON_DATA_DIR: process.env.BEACON_E2E_DATA_DIR! });

test("a CPE's Inform registers it, and `beacon device list --json` shows it", async () => {
  const serialNumber = `E2EREG${Date.now()}`;
  const device = createSimulatedDevice({
    model: "beacon-router-tr181",
    acsUrl: `http://127.0.0.1:${process.env.BEACON_E2E_CWMP_PORT}/`,
    serialNumber,
    username: "beacon",
    password: "beacon",
  });
  try {
    const session = await device.inform();
    expect(session.outcome).toBe("completed");
  } finally {
    await device.close();
  }
  const listed = await beaconCommand(["device", "list", "--json"], cliEnv());
  expect(listed.code).toBe(0);
  const devices = JSON.parse(listed.stdout) as Record<string, unknown>[];
  const row = devices.find((d) => d.serialNumber === serialNumber);
  expect(row).toMatchObject({ oui: expect.any(String), productClass: expect.any(String), tenant: "Platform" });
  expect(Object.keys(row!)).toEqual(
    expect.arrayContaining(["id", "oui", "productClass", "serialNumber", "tenant", "lastInformAt"]),
  );
  expect(Date.now() - Date.parse(String(row!.lastInformAt))).toBeLessThan(60_000);
});
