import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createFleet, type Fleet } from "../src/index.ts";
import { startTinyAcs, type TinyAcs } from "./support/tiny-acs.ts";

let acs: TinyAcs | undefined;
let fleet: Fleet | undefined;

afterEach(async () => {
  await fleet?.close();
  await acs?.close();
  fleet = undefined;
  acs = undefined;
});

describe("a fleet", () => {
  it("survives a boot storm of mixed models, with faulty, slow and dropping devices", async () => {
    acs = await startTinyAcs();
    fleet = await createFleet({
      acsUrl: acs.url,
      size: 40,
      model: (k) => (k % 2 === 0 ? "beacon-onu-tr098" : "beacon-router-tr181"),
      misbehaviour: { faulty: 0.25, faultRpc: "GetRPCMethods", faultCode: 9002, dropping: 0.1, slow: 0.1, slowMs: 20 },
      seed: 7,
    });
    for (const d of fleet.devices) acs.queue(d.serialNumber, { type: "GetRPCMethods" });
    const transcripts = await fleet.bootStorm();
    expect(transcripts).toHaveLength(40);
    expect(new Set(acs.sessions.map((s) => s.inform?.deviceId.serialNumber)).size).toBe(40);

    const stats = fleet.snapshot();
    expect(stats.sessions).toBe(40);
    expect(stats.completed + stats.dropped).toBe(40);
    expect(stats.dropped).toBeGreaterThan(0);
    expect(stats.faults["9002"]).toBeGreaterThan(0);
    expect(stats.byEvent["0 BOOTSTRAP"]).toBe(40);
    expect(stats.rpcs.GetRPCMethods).toBe(40);
  });

  it("informs periodically with jitter once started, and takes connection requests for every device", async () => {
    acs = await startTinyAcs();
    fleet = await createFleet({
      acsUrl: acs.url,
      size: 5,
      model: "beacon-router-tr181",
      periodicInformInterval: 30,
      timing: { timeScale: 0.002, periodicJitter: 0.2 },
      connectionRequests: { auth: "none" },
    });
    const device = fleet.devices[0]!;
    expect(device.get("Device.ManagementServer.ConnectionRequestURL")).toBe(
      fleet.listener?.urlFor(device.serialNumber),
    );
    fleet.start();
    // Boot informs at once, then "2 PERIODIC" every ~60 ms (30 s scaled by 0.002).
    await device.waitForSession((t) => t.events.some((e) => e.eventCode === "2 PERIODIC"), 3000);
    const stats = fleet.snapshot();
    expect(stats.byEvent["0 BOOTSTRAP"]).toBe(5);
    expect(stats.failed).toBe(0);
  });
});

describe("a fleet upgrading firmware", () => {
  it("has the share of devices given by firmwareFailing fail the install with the fault given", async () => {
    const image = Buffer.from("firmware V9");
    const server = http.createServer((_req, res) => res.writeHead(200).end(image));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      acs = await startTinyAcs();
      fleet = await createFleet({
        acsUrl: acs.url,
        size: 100,
        model: "beacon-onu-tr098",
        timing: { timeScale: 0.001 },
        misbehaviour: { firmwareFailing: 0.3, firmwareFailure: { kind: "fault", faultCode: 9019 } },
        seed: 11,
      });
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/V9.bin`;
      for (const d of fleet.devices) {
        acs.queue(d.serialNumber, {
          type: "Download",
          commandKey: "fw",
          fileType: "1 Firmware Upgrade Image",
          url,
          username: "",
          password: "",
          fileSize: image.length,
          targetFileName: "",
          delaySeconds: 0,
          successUrl: "",
          failureUrl: "",
        });
      }
      await fleet.bootStorm();
      await Promise.all(fleet.devices.map((d) => d.idle()));
      await fleet.informAll();
      const failed = fleet.devices.filter((d) => d.get("InternetGatewayDevice.DeviceInfo.SoftwareVersion") !== "V9");
      expect(failed.length).toBeGreaterThan(15);
      expect(failed.length).toBeLessThan(45);
      const faults = acs.sessions.flatMap((s) =>
        s.received.flatMap((m) => (m.type === "TransferComplete" ? [m.faultStruct.faultCode] : [])),
      );
      expect(faults.filter((f) => f === 9019)).toHaveLength(failed.length);
      expect(faults.filter((f) => f === 0)).toHaveLength(100 - failed.length);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
