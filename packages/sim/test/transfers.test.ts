import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Download, TransferComplete } from "@beacon/cwmp";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSimulatedDevice, type FirmwareFailure, type SimulatedDevice } from "../src/index.ts";
import { expectedResponse, parseAuthParams } from "./support/digest.ts";
import { answersOf, startTinyAcs, type TinyAcs } from "./support/tiny-acs.ts";

/** A file server with Digest MD5 auth (user "files", password "pw"): GET serves files, PUT stores them. */
async function startFileServer() {
  const files = new Map<string, Buffer>([["/fw/V2.0.0.bin", randomBytes(4096)]]);
  const nonce = randomBytes(8).toString("hex");
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const p = parseAuthParams(req.headers.authorization ?? "");
      if (
        p.nonce !== nonce ||
        p.response !== expectedResponse("MD5", p, "pw", req.method ?? "") ||
        p.username !== "files"
      ) {
        res.writeHead(401, { "www-authenticate": `Digest realm="files", qop="auth", nonce="${nonce}"` }).end();
        return;
      }
      const path = req.url ?? "";
      if (req.method === "PUT") {
        files.set(path, Buffer.concat(chunks));
        res.writeHead(201).end();
        return;
      }
      const file = files.get(path);
      if (!file) res.writeHead(404).end();
      else res.writeHead(200, { "content-type": "application/octet-stream" }).end(file);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    files,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let acs: TinyAcs;
let files: Awaited<ReturnType<typeof startFileServer>>;
let device: SimulatedDevice;

beforeEach(async () => {
  acs = await startTinyAcs();
  files = await startFileServer();
  device = createSimulatedDevice({
    model: "beacon-onu-tr098",
    serialNumber: "XFER0001",
    acsUrl: acs.url,
    bootstrapped: true,
    timing: { timeScale: 0.001 },
  });
});

afterEach(async () => {
  await device.close();
  await acs.close();
  await files.close();
});

function download(overrides: Partial<Download> = {}): Download {
  return {
    type: "Download",
    commandKey: "fw-1",
    fileType: "1 Firmware Upgrade Image",
    url: `${files.base}/fw/V2.0.0.bin`,
    username: "files",
    password: "pw",
    fileSize: 4096,
    targetFileName: "",
    delaySeconds: 0,
    successUrl: "",
    failureUrl: "",
    ...overrides,
  };
}

describe("Download", () => {
  it("answers Status 1, fetches the image with Digest, reboots into the new version and reports TransferComplete", async () => {
    acs.queue("XFER0001", download());
    const first = await device.inform();
    const [response] = answersOf(acs.sessions[0]!, "DownloadResponse");
    expect(response).toMatchObject({ status: 1, startTime: "0001-01-01T00:00:00Z" });
    expect(first.rpcs).toEqual(["Download"]);

    const after = await device.inform();
    expect(after.events).toEqual([
      { eventCode: "1 BOOT", commandKey: "" },
      { eventCode: "7 TRANSFER COMPLETE", commandKey: "" },
      { eventCode: "M Download", commandKey: "fw-1" },
    ]);
    const session = acs.sessions[1]!;
    expect(session.received.map((m) => m.type)).toEqual(["Inform", "TransferComplete", "Empty"]);
    const [complete] = answersOf(session, "TransferComplete");
    expect(complete).toMatchObject({ commandKey: "fw-1", faultStruct: { faultCode: 0 } });
    expect(session.inform?.parameterList).toContainEqual({
      name: "InternetGatewayDevice.DeviceInfo.SoftwareVersion",
      value: "V2.0.0",
      type: "xsd:string",
    });
    expect(device.pendingRequests).toEqual([]);
  });

  it("reports 9018 when the file is not the announced size, and keeps the old version", async () => {
    acs.queue("XFER0001", download({ fileSize: 1000, commandKey: "fw-bad" }));
    await device.inform();
    await device.inform();
    const [complete] = answersOf(acs.sessions[1]!, "TransferComplete") as TransferComplete[];
    expect(complete?.faultStruct.faultCode).toBe(9018);
    expect(device.get("InternetGatewayDevice.DeviceInfo.SoftwareVersion")).toBe("V1.0.0");
    expect(acs.sessions[1]?.inform?.event.map((e) => e.eventCode)).toEqual(["7 TRANSFER COMPLETE", "M Download"]);
  });

  it("reports 9012 for wrong file-server credentials and 9013 for ftp at once", async () => {
    acs.queue(
      "XFER0001",
      download({ password: "nope", commandKey: "auth" }),
      download({ url: "ftp://x/y", commandKey: "ftp" }),
    );
    const first = await device.inform();
    expect(first.faults.map((f) => f.faultCode)).toEqual([9013]);
    await device.inform();
    const [complete] = answersOf(acs.sessions[1]!, "TransferComplete");
    expect(complete).toMatchObject({ commandKey: "auth", faultStruct: { faultCode: 9012 } });
  });

  it("lists queued transfers and cancels one that has not started", async () => {
    acs.queue(
      "XFER0001",
      download({ delaySeconds: 3600, commandKey: "later" }),
      { type: "GetAllQueuedTransfers" },
      { type: "CancelTransfer", commandKey: "later" },
      { type: "GetQueuedTransfers" },
    );
    await device.inform();
    const session = acs.sessions[0]!;
    const [all] = answersOf(session, "GetAllQueuedTransfersResponse");
    expect(all?.transferList).toEqual([
      {
        commandKey: "later",
        state: 1,
        isDownload: true,
        fileType: "1 Firmware Upgrade Image",
        fileSize: 4096,
        targetFileName: "",
      },
    ]);
    expect(answersOf(session, "CancelTransferResponse")).toHaveLength(1);
    expect(answersOf(session, "GetQueuedTransfersResponse")[0]?.transferList).toEqual([]);
  });
});

describe("ScheduleDownload", () => {
  it("downloads at the start of the first time window and reports M ScheduleDownload", async () => {
    acs.queue("XFER0001", {
      type: "ScheduleDownload",
      commandKey: "sd-1",
      fileType: "1 Firmware Upgrade Image",
      url: `${files.base}/fw/V2.0.0.bin`,
      username: "files",
      password: "pw",
      fileSize: 4096,
      targetFileName: "V2.1.0.bin",
      timeWindowList: [{ windowStart: 1, windowEnd: 60, windowMode: "1 At Any Time", userMessage: "", maxRetries: -1 }],
    });
    await device.inform();
    expect(answersOf(acs.sessions[0]!, "ScheduleDownloadResponse")).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 20));
    const after = await device.inform();
    expect(after.events.map((e) => e.eventCode)).toEqual(["1 BOOT", "7 TRANSFER COMPLETE", "M ScheduleDownload"]);
    expect(device.get("InternetGatewayDevice.DeviceInfo.SoftwareVersion")).toBe("V2.1.0");
  });
});

describe("Upload", () => {
  it("PUTs a configuration backup with the credentials given and reports M Upload", async () => {
    acs.queue("XFER0001", {
      type: "Upload",
      commandKey: "backup-1",
      fileType: "1 Vendor Configuration File",
      url: `${files.base}/upload/XFER0001.cfg`,
      username: "files",
      password: "pw",
      delaySeconds: 0,
    });
    await device.inform();
    const after = await device.inform();
    expect(after.events.map((e) => e.eventCode)).toEqual(["7 TRANSFER COMPLETE", "M Upload"]);
    const stored = files.files.get("/upload/XFER0001.cfg")?.toString("utf8") ?? "";
    expect(stored).toContain("InternetGatewayDevice.LANDevice.1.WLANConfiguration.1.SSID=BeaconSim-2G");
    expect(stored).not.toContain("Password=");
    expect(answersOf(acs.sessions[1]!, "TransferComplete")[0]).toMatchObject({
      commandKey: "backup-1",
      faultStruct: { faultCode: 0 },
    });
  });
});

describe("ChangeDUState", () => {
  it("installs a unit and reports DUStateChangeComplete with 11 DU STATE CHANGE COMPLETE", async () => {
    acs.queue("XFER0001", {
      type: "ChangeDUState",
      commandKey: "du-1",
      operations: [
        { operation: "Install", url: `${files.base}/du/app.ipk`, uuid: "6ba7b810-9dad-11d1-80b4-00c04fd430c8" },
      ],
    });
    await device.inform();
    const after = await device.inform();
    expect(after.events.map((e) => e.eventCode)).toEqual(["11 DU STATE CHANGE COMPLETE", "M ChangeDUState"]);
    const [complete] = answersOf(acs.sessions[1]!, "DUStateChangeComplete");
    expect(complete?.results[0]).toMatchObject({ currentState: "Installed", resolved: true, fault: { faultCode: 0 } });
  });
});

describe("failing firmware installs (options.firmwareFailure)", () => {
  let failing: SimulatedDevice | undefined;
  afterEach(async () => {
    await failing?.close();
    failing = undefined;
  });

  function failingDevice(failure: FirmwareFailure): SimulatedDevice {
    failing = createSimulatedDevice({
      model: "beacon-onu-tr098",
      serialNumber: "XFER0002",
      acsUrl: acs.url,
      bootstrapped: true,
      timing: { timeScale: 0.001 },
      firmwareFailure: failure,
    });
    return failing;
  }

  it("fetches the image, then reports the configured fault in TransferComplete, without rebooting or changing version", async () => {
    const device = failingDevice({ kind: "fault", faultCode: 9018 });
    acs.queue("XFER0002", download());
    await device.inform();
    const after = await device.inform();
    expect(after.events.map((e) => e.eventCode)).toEqual(["7 TRANSFER COMPLETE", "M Download"]);
    const [complete] = answersOf(acs.sessions[1]!, "TransferComplete");
    expect(complete).toMatchObject({
      commandKey: "fw-1",
      faultStruct: { faultCode: 9018, faultString: "File corrupted" },
    });
    expect(device.get("InternetGatewayDevice.DeviceInfo.SoftwareVersion")).toBe("V1.0.0");
  });

  it("rolls back: reboots and reports success, but still runs the old version", async () => {
    const device = failingDevice({ kind: "rollback" });
    acs.queue("XFER0002", download());
    await device.inform();
    const after = await device.inform();
    expect(after.events.map((e) => e.eventCode)).toEqual(["1 BOOT", "7 TRANSFER COMPLETE", "M Download"]);
    expect(answersOf(acs.sessions[1]!, "TransferComplete")[0]).toMatchObject({ faultStruct: { faultCode: 0 } });
    expect(acs.sessions[1]?.inform?.parameterList).toContainEqual({
      name: "InternetGatewayDevice.DeviceInfo.SoftwareVersion",
      value: "V1.0.0",
      type: "xsd:string",
    });
  });

  it("is lost after the download: no TransferComplete, no session, offline to connection requests", async () => {
    const device = failingDevice({ kind: "lost" });
    acs.queue("XFER0002", download());
    device.start({ boot: false });
    await device.inform();
    await device.idle();
    expect(device.isOnline).toBe(false);
    expect(device.connectionRequest()).toBe("offline");
    await expect(device.inform()).rejects.toThrow(/closed/);
    expect(acs.sessions).toHaveLength(1);
  });
});
