import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import {
  campaignProgress,
  connectionRequestTargets,
  createCampaign,
  createTask,
  ensurePlatformTenant,
  runCampaignScheduler,
  type SchedulerHandle,
  uploadFirmware,
} from "@beacon/domain";
import {
  type ConnectionRequestListener,
  connectMqttAgent,
  connectWebSocketAgent,
  createFleet,
  type FirmwareOptions,
  type Fleet,
  type SimulatedDevice,
  SimulatedUspAgent,
  startConnectionRequestListener,
  type WebSocketAgentConnection,
} from "@beacon/sim";
import type { Msg } from "@beacon/usp";
import type { MqttClient } from "mqtt";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type IngressProcess, startIngressProcess } from "./helpers/ingress-process.ts";
import {
  BOOTSTRAP,
  type Broker,
  CONTROLLER_ID,
  eventually,
  mosquittoAvailable,
  type RunningUsp,
  startMosquitto,
  type UspFixture,
  uspFixture,
} from "./helpers/usp.ts";

const actor = { label: "ops@isp.example" };
const VERSION = "Device.DeviceInfo.SoftwareVersion";

/**
 * Firmware campaigns reach USP agents as they reach CWMP CPEs: one campaign, one image in Beacon's library, the
 * CWMP device given a Download and the agent a Device.DeviceInfo.FirmwareImage.{i}.Download() (then Activate()),
 * both fetching the image from the ingress's file server over HTTP. An agent counts as upgraded only once it
 * reports the new version after its reboot. Real sockets throughout: the ingress in its own process, the USP
 * controller on a WebSocket, the campaign scheduler waking the CPE by connection request.
 */
describe("firmware campaigns over USP and CWMP, over real sockets", () => {
  let fixture: UspFixture;
  let usp: RunningUsp;
  let ingress: IngressProcess;
  let listener: ConnectionRequestListener;
  let scheduler: SchedulerHandle;
  let dataDir: string;
  let platformId: string;
  const connections: WebSocketAgentConnection[] = [];
  const mqttClients: MqttClient[] = [];
  let broker: Broker | undefined;
  const fleets: Fleet[] = [];
  const errors: unknown[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "beacon-usp-firmware-"));
    fixture = await uspFixture();
    ingress = await startIngressProcess({ databaseUrl: fixture.database.url, dataDir, bootstrap: BOOTSTRAP });
    // No public URL: an agent fetches from the host it reached Beacon at (127.0.0.1), on the CWMP port.
    usp = await fixture.start({ fileServer: { port: ingress.port, tls: false } });
    listener = await startConnectionRequestListener({ udpPort: false });
    platformId = (await ensurePlatformTenant(fixture.db)).id;
    scheduler = runCampaignScheduler(fixture.db, {
      intervalMs: 200,
      connectionRequests: { targets: connectionRequestTargets({ allow: ["loopback"] }) },
      onError: (error) => errors.push(error),
    });
  }, 90_000);
  afterEach(() => {
    expect(errors).toEqual([]);
  });
  afterAll(async () => {
    await scheduler?.stop();
    for (const c of connections) c.close();
    await Promise.all(mqttClients.map((c) => c.endAsync()));
    await broker?.stop();
    for (const f of fleets) await f.close();
    await listener?.close();
    await ingress?.stop();
    await fixture?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function firmware(productClass: string, version: string): Promise<string> {
    const file = await uploadFirmware(
      fixture.db,
      dataDir,
      {
        tenantId: platformId,
        name: `${version}.bin`,
        content: Readable.from([randomBytes(128 * 1024)]),
        vendor: "Beacon Sim",
        productClasses: [productClass],
        version,
      },
      actor,
    );
    return file.id;
  }

  /** A USP agent of `productClass` on `version`, booted into Beacon with its DeviceInfo read. */
  async function bootedAgent(serial: string, productClass: string, version: string, firmware?: FirmwareOptions) {
    const agent = new SimulatedUspAgent({
      endpointId: `os::00D09E-${serial}`,
      controllerId: CONTROLLER_ID,
      identity: { productClass, softwareVersion: version },
      firmware,
    });
    connections.push(await connectWebSocketAgent(agent, { url: usp.wsUrl, ...BOOTSTRAP }));
    agent.sendBoot();
    const device = await eventually(
      `${serial} registered with its DeviceInfo and subscriptions`,
      async () =>
        agent.store.subscriptions("Event").length > 0
          ? fixture.db.device.findFirst({ where: { uspEndpointId: agent.endpointId, softwareVersion: version } })
          : null,
      30_000,
    );
    return { agent, deviceId: device.id };
  }

  /** A CWMP ONU of `productClass` that bootstrapped, then runs on its own, listening for connection requests. */
  async function enrolledCpe(serialPrefix: string, productClass: string): Promise<SimulatedDevice> {
    const fleet = await createFleet({
      acsUrl: `${ingress.url}/`,
      size: 1,
      model: "beacon-onu-tr098",
      serialPrefix,
      username: BOOTSTRAP.username,
      password: BOOTSTRAP.password,
      // A day, scaled to 86 s: only the campaign's connection request and the reboot bring sessions.
      periodicInformInterval: 86_400,
      timing: { timeScale: 0.001, requestTimeoutMs: 20_000 },
      connectionRequests: listener,
      device: { cwmpNamespace: "1.2", productClass },
    });
    fleets.push(fleet);
    const device = fleet.devices[0]!;
    const session = await device.inform();
    expect(session.outcome, session.error).toBe("completed");
    device.start({ boot: false });
    return device;
  }

  const operates = (agent: SimulatedUspAgent) =>
    agent.received.flatMap((m: Msg) => {
      const body = m.body?.msgBody;
      return body?.case === "request" && body.value.reqType.case === "operate" ? [body.value.reqType.value] : [];
    });

  it("upgrades a CWMP device and a USP agent in one campaign; each counts once it reports the new version after its reboot", async () => {
    const productClass = "DUAL-GW";
    const cpe = await enrolledCpe("CWMPDUAL", productClass);
    const { agent, deviceId } = await bootedAgent("USPDUAL0001", productClass, "V1.0.0");
    const fileId = await firmware(productClass, "V2.0.0");
    const { campaign, waveSizes } = await createCampaign(
      fixture.db,
      { tenantId: platformId, name: "DUAL-GW to V2.0.0", fileId, productClass, waves: [100] },
      actor,
    );
    expect(waveSizes).toEqual([2]);

    await eventually(
      "the campaign to complete",
      async () =>
        (await fixture.db.firmwareCampaign.findUniqueOrThrow({ where: { id: campaign.id } })).state === "completed",
      60_000,
    );
    const progress = await campaignProgress(fixture.db, campaign.id);
    expect(progress.total).toMatchObject({ devices: 2, installed: 2, failed: 0, notReturned: 0 });
    expect(cpe.get("InternetGatewayDevice.DeviceInfo.SoftwareVersion")).toBe("V2.0.0");
    expect(agent.store.read(VERSION)).toBe("V2.0.0");

    // The dual-bank agent got the image in its spare bank, then Activate(): its running image was kept until then.
    const [download, activate] = operates(agent);
    expect(download).toMatchObject({
      command: "Device.DeviceInfo.FirmwareImage.2.Download()",
      inputArgs: { AutoActivate: "false", CheckSumAlgorithm: "SHA-256" },
    });
    expect(download?.inputArgs.URL).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${ingress.port}/files/`));
    expect(activate?.command).toBe("Device.DeviceInfo.FirmwareImage.2.Activate()");
    expect(agent.store.read("Device.DeviceInfo.ActiveFirmwareImage")).toBe("Device.DeviceInfo.FirmwareImage.2");

    const task = await fixture.db.task.findFirstOrThrow({ where: { deviceId, kind: "download" } });
    expect(task.state).toBe("done");
    expect(task.result).toMatchObject({ softwareVersion: "V2.0.0", firmwareUpdated: true });
    // Done only after the reboot: the agent's Boot! event came before the task ended.
    const boot = await fixture.db.deviceEvent.findFirstOrThrow({
      where: { deviceId, code: "Boot!", at: { gte: task.startedAt! } },
    });
    expect(task.finishedAt!.getTime()).toBeGreaterThanOrEqual(boot.at.getTime());
    const row = await fixture.db.firmwareCampaignDevice.findFirstOrThrow({
      where: { campaignId: campaign.id, deviceId },
    });
    expect(row).toMatchObject({ state: "installed", fromVersion: "V1.0.0" });
    const device = await fixture.db.device.findUniqueOrThrow({ where: { id: deviceId } });
    expect(device.softwareVersion).toBe("V2.0.0");
  }, 120_000);

  it("upgrades a single-image agent with AutoActivate, and fails an agent that comes back on its old image", async () => {
    const productClass = "MIXED-GW";
    const single = await bootedAgent("USPSINGLE01", productClass, "V1.0.0", { images: 1 });
    const rollback = await bootedAgent("USPROLLBK01", productClass, "V1.0.0", { failure: "rollback" });
    const fileId = await firmware(productClass, "V2.1.0");
    const { campaign } = await createCampaign(
      fixture.db,
      { tenantId: platformId, name: "MIXED-GW to V2.1.0", fileId, productClass, waves: [100], failureThreshold: 1 },
      actor,
    );
    await eventually(
      "the campaign to complete",
      async () =>
        (await fixture.db.firmwareCampaign.findUniqueOrThrow({ where: { id: campaign.id } })).state === "completed",
      60_000,
    );
    const rows = await fixture.db.firmwareCampaignDevice.findMany({ where: { campaignId: campaign.id } });
    const rowOf = (id: string) => rows.find((r) => r.deviceId === id);
    expect(rowOf(single.deviceId)).toMatchObject({ state: "installed" });
    expect(operates(single.agent)[0]).toMatchObject({
      command: "Device.DeviceInfo.FirmwareImage.1.Download()",
      inputArgs: { AutoActivate: "true" },
    });
    expect(operates(single.agent)).toHaveLength(1);

    // The rollback agent accepted the image, activated it and rebooted: still a failure, seen in its version.
    expect(operates(rollback.agent).map((o) => o.command)).toEqual([
      "Device.DeviceInfo.FirmwareImage.2.Download()",
      "Device.DeviceInfo.FirmwareImage.2.Activate()",
    ]);
    expect(rowOf(rollback.deviceId)).toMatchObject({ state: "failed" });
    expect(rowOf(rollback.deviceId)?.reason).toMatch(/came back on version V1\.0\.0 instead of V2\.1\.0/);
    const device = await fixture.db.device.findUniqueOrThrow({ where: { id: rollback.deviceId } });
    expect(device.softwareVersion).toBe("V1.0.0");
  }, 120_000);

  it("fails the download when the agent refuses the URL or cannot validate the image, and the version stays", async () => {
    const productClass = "STRICT-GW";
    const { agent, deviceId } = await bootedAgent("USPSTRICT1", productClass, "V1.0.0");
    const refused = await createTask(
      fixture.db,
      { deviceId, kind: "download", args: { url: "ftp://files.example.net/V9.bin" } },
      actor,
    );
    const faulted = await eventually("the task to fail", () =>
      fixture.db.task.findFirst({ where: { id: refused.id, state: "fault" } }),
    );
    expect(faulted.faultCode).toBe(7027);
    expect(faulted.faultString).toMatch(/Download\(\) refused: URL must be http or https, not ftp:/);

    const corrupt = await bootedAgent("USPCORRUPT", productClass, "V1.0.0", { failure: "corrupt" });
    const fileId = await firmware(productClass, "V9.0.0");
    const task = await createTask(
      fixture.db,
      { deviceId: corrupt.deviceId, kind: "download", args: { fileId } },
      actor,
    );
    const failed = await eventually(
      "the download to fail",
      () => fixture.db.task.findFirst({ where: { id: task.id, state: "fault" } }),
      30_000,
    );
    expect(failed.faultString).toMatch(/^download failed: Validation failed/);
    expect(corrupt.agent.store.read(VERSION)).toBe("V1.0.0");
    expect(agent.store.read(VERSION)).toBe("V1.0.0");
  }, 90_000);

  it("fails an upgrade cut off by a reboot before the spare bank's image was activated", async () => {
    const productClass = "SLOW-GW";
    const { agent, deviceId } = await bootedAgent("USPSLOW001", productClass, "V1.0.0", { downloadMs: 1_500 });
    const fileId = await firmware(productClass, "V5.0.0");
    const task = await createTask(fixture.db, { deviceId, kind: "download", args: { fileId } }, actor);
    await eventually("the download under way", () =>
      fixture.db.task.findFirst({
        where: { id: task.id, result: { path: ["awaiting"], equals: "OperationComplete" } },
      }),
    );
    agent.sendBoot("LocalReboot");
    const failed = await eventually("the task to fail", () =>
      fixture.db.task.findFirst({ where: { id: task.id, state: "fault" } }),
    );
    expect(failed.faultString).toBe("the agent restarted before the image was downloaded and activated");
    // The task is over, so the file server no longer serves its URL: the agent's late download fails, and its
    // OperationComplete changes nothing.
    await eventually(
      "the late download refused",
      () => agent.store.read("Device.DeviceInfo.FirmwareImage.2.Status") === "DownloadFailed",
      10_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(operates(agent).map((o) => o.command)).toEqual(["Device.DeviceInfo.FirmwareImage.2.Download()"]);
    expect((await fixture.db.task.findUniqueOrThrow({ where: { id: task.id } })).state).toBe("fault");
  }, 60_000);

  it.skipIf(!mosquittoAvailable())(
    "upgrades an MQTT agent through a campaign, fetching the image at BEACON_CWMP_PUBLIC_URL",
    async () => {
      broker = await startMosquitto();
      const topic = "usp/controller/beacon-firmware";
      // An MQTT agent reached Beacon through the broker: only the public URL tells it where the file server is.
      await fixture.start({
        mqtt: { url: broker.url, topic },
        fileServer: { publicUrl: ingress.url, port: 1, tls: false },
      });
      const productClass = "MQTT-GW";
      const agent = new SimulatedUspAgent({
        endpointId: "os::00D09E-USPMQTTFW1",
        controllerId: CONTROLLER_ID,
        identity: { productClass, softwareVersion: "V1.0.0" },
      });
      mqttClients.push(await connectMqttAgent(agent, { url: broker.url, protocolVersion: 5, controllerTopic: topic }));
      agent.sendBoot();
      const device = await eventually(
        "the MQTT agent registered with its subscriptions",
        async () =>
          agent.store.subscriptions("OperationComplete").length > 0
            ? fixture.db.device.findFirst({ where: { uspEndpointId: agent.endpointId, softwareVersion: "V1.0.0" } })
            : null,
        30_000,
      );
      const fileId = await firmware(productClass, "V4.0.0");
      const { campaign } = await createCampaign(
        fixture.db,
        { tenantId: platformId, name: "MQTT-GW to V4.0.0", fileId, productClass, waves: [100] },
        actor,
      );
      await eventually(
        "the campaign to complete",
        async () =>
          (await fixture.db.firmwareCampaign.findUniqueOrThrow({ where: { id: campaign.id } })).state === "completed",
        60_000,
      );
      const row = await fixture.db.firmwareCampaignDevice.findFirstOrThrow({
        where: { campaignId: campaign.id, deviceId: device.id },
      });
      expect(row.state).toBe("installed");
      expect(agent.store.read(VERSION)).toBe("V4.0.0");
      expect(operates(agent)[0]?.inputArgs.URL).toMatch(new RegExp(`^${ingress.url}/files/`));
    },
    90_000,
  );
});
