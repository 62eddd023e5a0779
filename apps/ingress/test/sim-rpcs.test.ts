import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Task } from "@beacon/db";
import { blobPath, commandKeyOf, createTask, ensurePlatformTenant, storeFile } from "@beacon/domain";
import type { SessionTranscript, SimulatedDevice } from "@beacon/sim";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type IngressFixture, ingressFixture, type RunningIngress } from "./helpers/ingress.ts";
import { BOOTSTRAP, deviceIdOf, eventually, IGD, simulatedOnu } from "./helpers/sim-device.ts";

const actor = { label: "test" };
const SSID = `${IGD}.LANDevice.1.WLANConfiguration.1.SSID`;
const PORT_MAPPING = `${IGD}.WANDevice.1.WANConnectionDevice.1.WANPPPConnection.1.PortMapping.`;

/** One task of each kind, run by the real ingress against a simulated device over real HTTP. */
describe("each ACS RPC against the simulated device", () => {
  let fixture: IngressFixture;
  let ingress: RunningIngress;
  let dataDir: string;
  const devices: SimulatedDevice[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "beacon-sim-rpcs-"));
    fixture = await ingressFixture();
    ingress = await fixture.start({
      bootstrapUsername: BOOTSTRAP.username,
      bootstrapPassword: BOOTSTRAP.password,
      dataDir,
    });
  });
  afterEach(async () => {
    await Promise.all(devices.splice(0).map((d) => d.close()));
  });
  afterAll(async () => {
    await fixture.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** A simulated device that has bootstrapped: it holds the credentials Beacon gave it. */
  async function registered(): Promise<{ device: SimulatedDevice; deviceId: string }> {
    const device = simulatedOnu(ingress.url);
    devices.push(device);
    const first = await device.inform();
    expect(first.outcome).toBe("completed");
    return { device, deviceId: await deviceIdOf(fixture.db, device) };
  }

  /** Queues one task, lets the device inform, and returns the task as the session left it. */
  async function runTask(
    device: SimulatedDevice,
    deviceId: string,
    kind: string,
    args?: unknown,
  ): Promise<{ task: Task; session: SessionTranscript }> {
    const created = await createTask(fixture.db, { deviceId, kind, args }, actor);
    const session = await device.inform();
    expect(session.outcome, session.error).toBe("completed");
    return { task: await fixture.db.task.findUniqueOrThrow({ where: { id: created.id } }), session };
  }

  async function storedValue(deviceId: string, name: string) {
    return fixture.db.deviceParameter.findUnique({ where: { deviceId_name: { deviceId, name } } });
  }

  async function eventsSince(deviceId: string, since: Date): Promise<{ code: string; commandKey: string }[]> {
    return fixture.db.deviceEvent.findMany({
      where: { deviceId, at: { gte: since } },
      select: { code: true, commandKey: true },
      orderBy: { id: "asc" },
    });
  }

  it("GetParameterNames: lists a subtree and stores its names and writability", async () => {
    const { device, deviceId } = await registered();
    const hosts = `${IGD}.LANDevice.1.Hosts.`;
    const { task, session } = await runTask(device, deviceId, "getParameterNames", { path: hosts });
    expect(session.rpcs).toEqual(["GetParameterNames"]);
    expect(task.state).toBe("done");
    const names = fixture.db.deviceParameter.findMany({
      where: { deviceId, name: { startsWith: hosts } },
      select: { name: true, writable: true, isObject: true },
    });
    expect((task.result as { count: number }).count).toBe((await names).length);
    expect(await names).toEqual(
      expect.arrayContaining([
        { name: `${hosts}Host.2.`, writable: false, isObject: true },
        { name: `${hosts}Host.2.HostName`, writable: false, isObject: false },
      ]),
    );
  });

  it("GetParameterValues: returns the device's values and stores them", async () => {
    const { device, deviceId } = await registered();
    const rx = `${IGD}.X_HW_Optical.RxPowerDbm`;
    const { task, session } = await runTask(device, deviceId, "getParameterValues", { names: [SSID, rx] });
    expect(session.rpcs).toEqual(["GetParameterValues"]);
    expect(task.state).toBe("done");
    expect(task.result).toEqual({
      values: [
        { name: SSID, value: "BeaconSim-2G", type: "xsd:string" },
        // The simulated transceiver drifts around -19.32 dBm as a real one does.
        { name: rx, value: expect.stringMatching(/^-(1[89]|20)\.\d\d$/), type: "xsd:string" },
      ],
    });
    expect(await storedValue(deviceId, SSID)).toMatchObject({ value: "BeaconSim-2G", type: "xsd:string" });
  });

  it("SetParameterValues: the device holds the new value and ParameterKey, and Beacon stores the value", async () => {
    const { device, deviceId } = await registered();
    const { task, session } = await runTask(device, deviceId, "setParameterValues", {
      values: [{ name: SSID, value: "Lobby-WiFi", type: "xsd:string" }],
      parameterKey: "spv-1",
    });
    expect(session.rpcs).toEqual(["SetParameterValues"]);
    expect(task).toMatchObject({ state: "done", result: { status: 0 } });
    expect(device.get(SSID)).toBe("Lobby-WiFi");
    expect(device.get(`${IGD}.ManagementServer.ParameterKey`)).toBe("spv-1");
    expect((await storedValue(deviceId, SSID))?.value).toBe("Lobby-WiFi");
  });

  it("GetParameterAttributes: returns the notification the device keeps for a parameter", async () => {
    const { device, deviceId } = await registered();
    const software = `${IGD}.DeviceInfo.SoftwareVersion`;
    const { task } = await runTask(device, deviceId, "getParameterAttributes", { names: [software, SSID] });
    expect(task.state).toBe("done");
    expect(task.result).toEqual({
      parameters: [
        { name: software, notification: 2, accessList: [] },
        { name: SSID, notification: 0, accessList: [] },
      ],
    });
  });

  it("SetParameterAttributes: a parameter set to passive notification comes back with 4 VALUE CHANGE", async () => {
    const { device, deviceId } = await registered();
    const { task } = await runTask(device, deviceId, "setParameterAttributes", {
      parameters: [{ name: SSID, notification: 1 }],
    });
    expect(task.state).toBe("done");
    device.set(SSID, "Renamed-By-User");
    const since = new Date();
    const next = await device.inform();
    expect(next.events.map((e) => e.eventCode)).toContain("4 VALUE CHANGE");
    expect((await eventsSince(deviceId, since)).map((e) => e.code)).toContain("4 VALUE CHANGE");
    expect((await storedValue(deviceId, SSID))?.value).toBe("Renamed-By-User");
  });

  it("AddObject: the device has the new instance and Beacon records it", async () => {
    const { device, deviceId } = await registered();
    const { task } = await runTask(device, deviceId, "addObject", { objectName: PORT_MAPPING, parameterKey: "add-1" });
    expect(task).toMatchObject({ state: "done", result: { instanceNumber: 2, status: 0 } });
    expect(device.children(PORT_MAPPING)).toContain(`${PORT_MAPPING}2.`);
    expect(device.get(`${PORT_MAPPING}2.ExternalPort`)).toBeDefined();
    expect(await storedValue(deviceId, `${PORT_MAPPING}2.`)).toMatchObject({ isObject: true });
  });

  it("DeleteObject: the instance is gone from the device and from Beacon's copy", async () => {
    const { device, deviceId } = await registered();
    const instance = `${PORT_MAPPING}1.`;
    const read = await createTask(
      fixture.db,
      { deviceId, kind: "getParameterValues", args: { names: [instance] } },
      actor,
    );
    const { task, session } = await runTask(device, deviceId, "deleteObject", { objectName: instance });
    expect(session.rpcs).toEqual(["GetParameterValues", "DeleteObject"]);
    expect((await fixture.db.task.findUniqueOrThrow({ where: { id: read.id } })).state).toBe("done");
    expect(task).toMatchObject({ state: "done", result: { status: 0 } });
    expect(device.children(PORT_MAPPING)).not.toContain(instance);
    expect(device.get(`${instance}ExternalPort`)).toBeUndefined();
    expect(await fixture.db.deviceParameter.count({ where: { deviceId, name: { startsWith: instance } } })).toBe(0);
  });

  it("Reboot: the device reboots and its next Inform's M Reboot and 1 BOOT are recorded as events", async () => {
    const { device, deviceId } = await registered();
    const { task, session } = await runTask(device, deviceId, "reboot");
    expect(session.rpcs).toEqual(["Reboot"]);
    expect(task).toMatchObject({ state: "running", result: { awaiting: "M Reboot" } });
    const since = new Date();
    const after = await device.inform();
    expect(after.outcome).toBe("completed");
    expect(await fixture.db.task.findUniqueOrThrow({ where: { id: task.id } })).toMatchObject({
      state: "done",
      result: { commandKey: commandKeyOf(task.id) },
    });
    expect(await eventsSince(deviceId, since)).toEqual(
      expect.arrayContaining([
        { code: "1 BOOT", commandKey: "" },
        { code: "M Reboot", commandKey: commandKeyOf(task.id) },
      ]),
    );
    const row = await fixture.db.device.findUniqueOrThrow({ where: { id: deviceId } });
    expect(row.lastBootAt!.getTime()).toBeGreaterThanOrEqual(since.getTime());
  });

  it("FactoryReset: the device returns to factory values, bootstraps again and gets new credentials", async () => {
    const { device, deviceId } = await registered();
    await runTask(device, deviceId, "setParameterValues", { values: [{ name: SSID, value: "Configured" }] });
    const before = await fixture.db.device.findUniqueOrThrow({ where: { id: deviceId } });
    const { task } = await runTask(device, deviceId, "factoryReset");
    expect(task.state).toBe("done");
    expect(device.get(SSID)).toBe("BeaconSim-2G");
    expect(device.get(`${IGD}.ManagementServer.Username`)).toBe(BOOTSTRAP.username);

    const since = new Date();
    const back = await device.inform();
    expect(back.outcome, back.error).toBe("completed");
    expect((await eventsSince(deviceId, since)).map((e) => e.code)).toEqual(
      expect.arrayContaining(["0 BOOTSTRAP", "1 BOOT"]),
    );
    const after = await fixture.db.device.findUniqueOrThrow({ where: { id: deviceId } });
    expect(after.cwmpUsername).toBeTruthy();
    expect(after.cwmpUsername).not.toBe(before.cwmpUsername);
    expect(device.get(`${IGD}.ManagementServer.Username`)).toBe(after.cwmpUsername);

    // The reset opened the bootstrap credential to this device for one Inform only.
    const twin = simulatedOnu(ingress.url, { serialNumber: device.serialNumber });
    devices.push(twin);
    const refused = await twin.inform();
    expect(refused.outcome).toBe("failed");
    expect(refused.httpStatuses).toContain(403);
  });

  it("Download: the device fetches firmware from Beacon's file server, reboots into it, and the task ends on TransferComplete", async () => {
    const { device, deviceId } = await registered();
    const tenant = await ensurePlatformTenant(fixture.db);
    const image = Buffer.alloc(64 * 1024, 7);
    const file = await storeFile(
      fixture.db,
      dataDir,
      { tenantId: tenant.id, name: "V2.0.1.bin", fileType: "1 Firmware Upgrade Image", content: image },
      actor,
    );
    const { task, session } = await runTask(device, deviceId, "download", { fileId: file.id });
    expect(session.rpcs).toEqual(["Download"]);
    const download = session.requests[0] as { url: string; fileSize: number };
    expect(download.url.startsWith(`${ingress.url}/files/${task.id}/`)).toBe(true);
    expect(download.fileSize).toBe(image.length);
    expect(task.state).toBe("running");

    await device.idle();
    expect(device.get(`${IGD}.DeviceInfo.SoftwareVersion`)).toBe("V2.0.1");
    const since = new Date();
    const report = await device.inform();
    expect(report.outcome).toBe("completed");
    expect(report.events.map((e) => e.eventCode)).toEqual(
      expect.arrayContaining(["1 BOOT", "7 TRANSFER COMPLETE", "M Download"]),
    );
    const done = await fixture.db.task.findUniqueOrThrow({ where: { id: task.id } });
    expect(done.state).toBe("done");
    expect(done.result).toEqual({ startTime: expect.any(String), completeTime: expect.any(String) });
    expect(await eventsSince(deviceId, since)).toContainEqual({
      code: "M Download",
      commandKey: commandKeyOf(task.id),
    });
    expect((await fixture.db.device.findUniqueOrThrow({ where: { id: deviceId } })).softwareVersion).toBe("V2.0.1");
  });

  it("Download: a vendor configuration file from Beacon's file server is applied by the device", async () => {
    const { device, deviceId } = await registered();
    const tenant = await ensurePlatformTenant(fixture.db);
    const file = await storeFile(
      fixture.db,
      dataDir,
      {
        tenantId: tenant.id,
        name: "lobby.cfg",
        fileType: "3 Vendor Configuration File",
        content: Buffer.from(`${SSID}=From-Config-File\n`),
      },
      actor,
    );
    const { task } = await runTask(device, deviceId, "download", { fileId: file.id });
    await device.idle();
    expect(device.get(SSID)).toBe("From-Config-File");
    await device.inform();
    expect((await fixture.db.task.findUniqueOrThrow({ where: { id: task.id } })).state).toBe("done");
  });

  it("Upload: the device puts its configuration to Beacon, which keeps it as a file of the device's tenant", async () => {
    const { device, deviceId } = await registered();
    const { task, session } = await runTask(device, deviceId, "upload", { fileType: "1 Vendor Configuration File" });
    expect(session.rpcs).toEqual(["Upload"]);
    expect(task.state).toBe("running");
    await device.idle();
    const report = await device.inform();
    expect(report.events.map((e) => e.eventCode)).toEqual(expect.arrayContaining(["7 TRANSFER COMPLETE", "M Upload"]));
    const done = await fixture.db.task.findUniqueOrThrow({ where: { id: task.id } });
    expect(done.state).toBe("done");
    const file = await fixture.db.file.findUniqueOrThrow({ where: { id: (done.result as { fileId: string }).fileId } });
    const device_ = await fixture.db.device.findUniqueOrThrow({ where: { id: deviceId } });
    expect(file).toMatchObject({ tenantId: device_.tenantId, fileType: "1 Vendor Configuration File" });
    const content = readFileSync(blobPath(dataDir, file.storagePath), "utf8");
    expect(content).toContain(`${SSID}=BeaconSim-2G\n`);
    expect(Number(file.size)).toBe(Buffer.byteLength(content));
  });

  it("ScheduleInform: the device comes back with 3 SCHEDULED and M ScheduleInform naming the task", async () => {
    const { device, deviceId } = await registered();
    const { task, session } = await runTask(device, deviceId, "scheduleInform", { delaySeconds: 5 });
    expect(session.rpcs).toEqual(["ScheduleInform"]);
    expect(task.state).toBe("done");
    // 5 s at the simulator's time scale of 1/1000.
    await eventually("the scheduled inform", () => device.queuedEvents.some((e) => e.eventCode === "3 SCHEDULED"));
    const since = new Date();
    await device.inform();
    expect(await eventsSince(deviceId, since)).toEqual(
      expect.arrayContaining([
        { code: "3 SCHEDULED", commandKey: "" },
        { code: "M ScheduleInform", commandKey: commandKeyOf(task.id) },
      ]),
    );
  });

  it("GetRPCMethods: returns the methods the device supports", async () => {
    const { device, deviceId } = await registered();
    const { task } = await runTask(device, deviceId, "getRPCMethods");
    expect(task.state).toBe("done");
    expect((task.result as { methods: string[] }).methods).toEqual(
      expect.arrayContaining(["GetParameterValues", "Download", "ScheduleDownload", "ChangeDUState"]),
    );
  });

  async function firmware(name: string) {
    const tenant = await ensurePlatformTenant(fixture.db);
    return storeFile(
      fixture.db,
      dataDir,
      { tenantId: tenant.id, name, fileType: "1 Firmware Upgrade Image", content: Buffer.alloc(16 * 1024, 3) },
      actor,
    );
  }

  it("ScheduleDownload: the device downloads within its time window and TransferComplete closes the task", async () => {
    const { device, deviceId } = await registered();
    const file = await firmware("V3.0.0.bin");
    const { task, session } = await runTask(device, deviceId, "scheduleDownload", {
      fileId: file.id,
      timeWindows: [{ windowStart: 0, windowEnd: 3600, windowMode: "1 At Any Time" }],
    });
    expect(session.rpcs).toEqual(["ScheduleDownload"]);
    expect(task.state).toBe("running");
    await device.idle();
    const report = await device.inform();
    expect(report.outcome).toBe("completed");
    const done = await fixture.db.task.findUniqueOrThrow({ where: { id: task.id } });
    expect({ state: done.state, fault: done.faultString }).toEqual({ state: "done", fault: null });
  });

  it("GetQueuedTransfers, GetAllQueuedTransfers and CancelTransfer: a delayed download is listed, then cancelled", async () => {
    const { device, deviceId } = await registered();
    const file = await firmware("V4.0.0.bin");
    const { task: download } = await runTask(device, deviceId, "download", { fileId: file.id, delaySeconds: 86_400 });
    expect(download.state).toBe("running");
    const key = commandKeyOf(download.id);

    const { task: queued } = await runTask(device, deviceId, "getQueuedTransfers");
    expect(queued.state).toBe("done");
    expect((queued.result as { transfers: { commandKey: string; state: number }[] }).transfers).toContainEqual({
      commandKey: key,
      state: 1,
    });
    const { task: all } = await runTask(device, deviceId, "getAllQueuedTransfers");
    expect((all.result as { transfers: { commandKey: string; isDownload: boolean }[] }).transfers).toContainEqual(
      expect.objectContaining({ commandKey: key, isDownload: true }),
    );

    const { task: cancel, session } = await runTask(device, deviceId, "cancelTransfer", { taskId: download.id });
    expect(session.rpcs).toEqual(["CancelTransfer"]);
    expect(cancel.state).toBe("done");
    const { task: after } = await runTask(device, deviceId, "getQueuedTransfers");
    expect((after.result as { transfers: unknown[] }).transfers).toEqual([]);
  });

  it("ChangeDUState: the device installs a deployment unit and DUStateChangeComplete closes the task", async () => {
    const { device, deviceId } = await registered();
    const { task, session } = await runTask(device, deviceId, "changeDUState", {
      operations: [
        {
          operation: "Install",
          url: "http://127.0.0.1:9/apps/weather-1.0.ipk",
          uuid: "b2a6e1c4-0000-4000-8000-000000000001",
        },
      ],
    });
    expect(session.rpcs).toEqual(["ChangeDUState"]);
    expect(task.state).toBe("running");
    await device.idle();
    const report = await device.inform();
    expect(report.outcome).toBe("completed");
    const settled = await fixture.db.task.findUniqueOrThrow({ where: { id: task.id } });
    expect(["done", "fault"]).toContain(settled.state);
    expect(settled.finishedAt).not.toBeNull();
  });

  it("refresh: GetParameterNames then GetParameterValues of a subtree store the device's values", async () => {
    const { device, deviceId } = await registered();
    const wlan = `${IGD}.LANDevice.1.WLANConfiguration.`;
    const { task, session } = await runTask(device, deviceId, "refresh", { path: wlan });
    expect(session.rpcs).toEqual(["GetParameterNames", "GetParameterValues"]);
    expect(task.state).toBe("done");
    const stored = await fixture.db.deviceParameter.findMany({
      where: { deviceId, name: { startsWith: wlan }, isObject: false },
    });
    expect(stored.length).toBe((task.result as { count: number }).count);
    expect(stored.find((p) => p.name === `${wlan}1.Channel`)).toMatchObject({ value: "6", writable: true });
  });
});
